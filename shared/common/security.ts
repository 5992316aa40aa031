/** One Content-Security-Policy for both transports: only the app's own scripts, styles and API. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** External pages the app may open in the user's browser (help and guidance only). */
export const EXTERNAL_LINK_ALLOWLIST = [
  'https://www.hee.nhs.uk/',
  'https://www.england.nhs.uk/',
  'https://www.nhsemployers.org/',
  'https://digital.nhs.uk/',
];

export function isAllowedExternalLink(url: string): boolean {
  return EXTERNAL_LINK_ALLOWLIST.some((prefix) => url.startsWith(prefix));
}
