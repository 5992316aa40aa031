import { useEffect, useRef } from 'react';

/**
 * After the route changes (an area, a tab, a return, a person), focus moves to the new page's heading so keyboard
 * and screen-reader users start on the new content (WCAG 2.4.3) rather than on the link they used. A heading
 * marked `data-route-focus` (an editor opened by its own address) wins over the page's h1. Pages load their data
 * after the route changes, so the heading is waited for; if the user moves focus meanwhile, it is left alone.
 * Not on the first load: the browser starts at the top of the page anyway.
 */
export function useFocusOnRouteChange(route: string) {
  const previous = useRef(route);
  useEffect(() => {
    if (previous.current === route) return;
    previous.current = route;
    const main = document.getElementById('main');
    if (!main) return;
    const before = document.activeElement;
    let focused: HTMLElement | null = null;
    const userMoved = () => {
      const now = document.activeElement;
      return !(now === null || now === document.body || now === main || now === before || now === focused);
    };
    const attempt = () => {
      if (userMoved()) return true;
      const target = main.querySelector<HTMLElement>('[data-route-focus]') ?? main.querySelector<HTMLElement>('h1');
      if (target && target !== focused) {
        if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
        target.focus();
        focused = target;
      }
      return target !== null && target.hasAttribute('data-route-focus');
    };
    if (attempt()) return;
    const observer = new MutationObserver(() => {
      if (attempt()) stop();
    });
    const timer = window.setTimeout(() => stop(), 4000);
    const stop = () => {
      observer.disconnect();
      window.clearTimeout(timer);
    };
    observer.observe(main, { childList: true, subtree: true });
    return stop;
  }, [route]);
}
