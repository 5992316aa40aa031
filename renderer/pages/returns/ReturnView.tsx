import { useState } from 'react';
import { api, useApi } from '../../api';
import { Notice } from '../../components/forms';
import { TabNav } from '../../components/TabNav';
import { useMessage } from '../../components/message';
import { dateLabel } from '../../../shared/common/periods';
import type { ReturnVersionKind } from '../../../shared/returns/channels';
import { ChecksView } from './ChecksView';
import { CompareView } from './CompareView';
import { PreviewView } from './PreviewView';
import { ReadinessView } from './ReadinessView';
import { SignOffView } from './SignOffView';
import { statusText, versionLabel } from './common';

const TABS = [
  { path: 'checks', label: 'Checks' },
  { path: 'readiness', label: 'Readiness and actions' },
  { path: 'preview', label: 'Preview' },
  { path: 'sign-off', label: 'Sign off and send' },
  { path: 'compare', label: 'Compare versions' },
] as const;

/** One return: its state and hash, then a tab for each step from checks to sending. */
export function ReturnView({ id, tab: tabPath }: { id: number; tab: string }) {
  const tab = TABS.find((t) => t.path === tabPath) ?? TABS[0];
  const [version, setVersion] = useState<ReturnVersionKind>('publication');
  const view = useApi('returns/show', { id, version }, String(id));
  const { notice, confirmThen } = useMessage();
  const r = view.data;

  if (view.error && !r)
    return (
      <>
        <h1>Return</h1>
        <Notice kind="warning">{view.error}</Notice>
        <p>
          <a href="#/returns">Back to returns</a>
        </p>
      </>
    );
  if (!r) return <p aria-busy="true">Loading the return…</p>;
  const frozen = r.status === 'signed-off' || r.status === 'sent';

  return (
    <>
      <p>
        <a href="#/returns">Back to returns</a>
      </p>
      <h1>
        {r.content.about.organisationKind === 'ics' ? 'ICS return' : 'Return'} for {r.period}{' '}
        <span className="hint">version {r.version}</span>
      </h1>
      <dl className="summary-list" data-testid="return-summary">
        <div>
          <dt>Status</dt>
          <dd data-testid="return-status">{statusText(r)}</dd>
        </div>
        <div>
          <dt>Figures as at</dt>
          <dd>{dateLabel(r.asAt)}</dd>
        </div>
        {r.correctionReason && (
          <div>
            <dt>Corrects an earlier version because</dt>
            <dd>{r.correctionReason}</dd>
          </div>
        )}
        {r.hash && (
          <div>
            <dt>SHA-256 of the frozen figures</dt>
            <dd className="return-hash">{r.hash}</dd>
          </div>
        )}
        {r.supersededById && (
          <div>
            <dt>Superseded by</dt>
            <dd>
              <a href={`#/returns/${r.supersededById}`}>the corrected version</a>
            </dd>
          </div>
        )}
      </dl>
      {notice}
      {!frozen && (
        <p>
          <button
            type="button"
            className="button button--warning"
            onClick={() =>
              confirmThen(
                `Delete the draft return for ${r.period} (version ${r.version})? Its readiness text goes with it.`,
                () => api('returns/delete', { id }),
                () => 'Draft deleted.',
                () => {
                  window.location.hash = '#/returns';
                },
              )
            }
          >
            Delete this draft
          </button>
        </p>
      )}
      <TabNav
        area={`returns/${id}`}
        label="Steps of this return"
        tabs={TABS}
        current={tab.path}
        title={`${tab.label} – Return ${versionLabel(r)}`}
      />
      {view.error && <Notice kind="warning">{view.error}</Notice>}
      {tab.path === 'checks' && <ChecksView view={r} onChanged={view.reload} />}
      {tab.path === 'readiness' && <ReadinessView view={r} onChanged={view.reload} />}
      {tab.path === 'preview' && <PreviewView view={r} version={version} onVersion={setVersion} />}
      {tab.path === 'sign-off' && <SignOffView view={r} onChanged={view.reload} />}
      {tab.path === 'compare' && <CompareView view={r} />}
    </>
  );
}
