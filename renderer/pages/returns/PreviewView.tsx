import { EXACT_MARKING, type ReturnVersionKind, type ReturnView } from '../../../shared/returns/channels';
import { HiddenLegend } from './cells';
import { ReturnSections } from './ReturnTables';

/** Sections A to H as they will be sent: the publication version with small numbers hidden, or the ICS's exact one. */
export function PreviewView({
  view,
  version,
  onVersion,
}: {
  view: ReturnView;
  version: ReturnVersionKind;
  onVersion: (version: ReturnVersionKind) => void;
}) {
  const { content } = view;
  const hidden = content.tables.flatMap((t) => t.cells).filter((c) => c.status.startsWith('suppressed')).length;
  return (
    <>
      <h2>Preview</h2>
      <fieldset className="fieldset return-version-switch">
        <legend>Version shown</legend>
        <label>
          <input
            type="radio"
            name="return-version"
            value="publication"
            checked={version === 'publication'}
            onChange={() => onVersion('publication')}
          />{' '}
          Publication version (for HEE and anyone beyond the ICS; small numbers hidden)
        </label>
        <label>
          <input
            type="radio"
            name="return-version"
            value="exact"
            checked={version === 'exact'}
            onChange={() => onVersion('exact')}
          />{' '}
          ICS data-sharing version (exact figures)
        </label>
      </fieldset>
      {content.version === 'exact' ? (
        <p className="return-sensitive" data-testid="return-marking">
          {content.marking ?? EXACT_MARKING}
          <span className="return-sensitive__note">
            {content.about.organisationKind === 'ics'
              ? "Keep this version within the ICS's data-sharing agreement: it holds the trusts' exact figures side by side. Do not publish it or share it further."
              : "Send this version only to the ICS, which adds up the trusts' exact figures and then protects its own outputs. Do not publish it or share it further."}
          </span>
        </p>
      ) : (
        <p data-testid="return-hidden-count">
          {hidden === 0
            ? 'No cells are hidden in this return.'
            : `${hidden.toLocaleString('en-GB')} cells are hidden to protect small numbers.`}
        </p>
      )}
      <HiddenLegend threshold={content.about.disclosure.threshold} exact={content.version === 'exact'} />
      <ReturnSections content={content} />
    </>
  );
}
