import { useState } from 'react';
import type { Result } from '../../shared/common/api';

/** A message shown after an action: what was saved or deleted, or why it could not be. */
export interface Message {
  kind: 'success' | 'warning' | 'info';
  text: string;
}

/**
 * The live region is always in the page, empty until there is something to say: screen readers announce text put
 * into a live region that already exists, not one that arrives with its text (WCAG 4.1.3).
 */
export function MessageNotice({ message }: { message: Message | null | undefined }) {
  return (
    <div role="status" className="message-live">
      {message && <div className={`notice notice--${message.kind}`}>{message.text}</div>}
    </div>
  );
}

/**
 * The message state a page keeps after save / delete. `report` turns an api result into a success message
 * (worded from the result) or a warning with the service's own message. `confirmThen` asks first, runs the
 * action, reports it and then runs `after` (typically a reload) whatever the outcome.
 */
export function useMessage() {
  const [message, setMessage] = useState<Message>();
  const report = <T,>(result: Result<T>, success: (value: T) => string) =>
    setMessage(
      result.ok ? { kind: 'success', text: success(result.value) } : { kind: 'warning', text: result.error.message },
    );
  const confirmThen = async <T,>(
    question: string,
    action: () => Promise<Result<T>>,
    success: (value: T) => string,
    after?: () => void,
  ) => {
    if (!window.confirm(question)) return;
    report(await action(), success);
    after?.();
  };
  /** For an add/edit form's onDone: the form's "... saved." text, or '' when it was cancelled (nothing to say). */
  const saved = (text: string) => {
    if (text) setMessage({ kind: 'success', text });
  };
  return { message, setMessage, report, confirmThen, saved, notice: <MessageNotice message={message} /> };
}
