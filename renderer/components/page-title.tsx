import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/**
 * The window title (WCAG 2.4.2): "<tab> – <area> – AHP Support Workforce Planner", with "Error: " in front while a
 * form shows its error summary. The frame owns the title and pages only report their part, so it does not matter
 * that a child's effect runs before its parent's: whatever the order, the frame writes the whole title last.
 */
export const APP_NAME = 'AHP Support Workforce Planner';

interface TitleParts {
  setPage: (page: string | null) => void;
  addError: (delta: number) => void;
}

const TitleContext = createContext<TitleParts | null>(null);

export function pageTitle(parts: { page?: string | null; area?: string | null; error?: boolean }): string {
  const text = [parts.page, parts.area, APP_NAME].filter(Boolean).join(' – ');
  return parts.error ? `Error: ${text}` : text;
}

export function PageTitleProvider({ area, children }: { area: string; children: ReactNode }) {
  const [page, setPage] = useState<string | null>(null);
  const [errors, setErrors] = useState(0);
  useEffect(() => {
    document.title = pageTitle({ page, area, error: errors > 0 });
  }, [page, area, errors]);
  const parts = useMemo<TitleParts>(() => ({ setPage, addError: (d) => setErrors((n) => n + d) }), []);
  return <TitleContext.Provider value={parts}>{children}</TitleContext.Provider>;
}

/** This screen's part of the title (a tab, a return); the area's name and the app's are added by the frame. */
export function usePageTitle(page: string | null | undefined) {
  const parts = useContext(TitleContext);
  useEffect(() => {
    if (!parts || !page) return;
    parts.setPage(page);
    return () => parts.setPage(null);
  }, [parts, page]);
}

/** While `shown`, the title starts "Error: " (a form's error summary is on screen). */
export function useErrorTitle(shown: boolean) {
  const parts = useContext(TitleContext);
  useEffect(() => {
    if (!parts || !shown) return;
    parts.addError(1);
    return () => parts.addError(-1);
  }, [parts, shown]);
}
