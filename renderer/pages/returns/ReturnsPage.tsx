import { ListView } from './ListView';
import { ReturnView } from './ReturnView';
import './returns.css';

/** #/returns lists the returns; #/returns/<id>/<tab> is one return. */
export function ReturnsPage({ subpath }: { subpath: string }) {
  const [id, tab = ''] = subpath.split('/');
  const numeric = Number(id);
  if (id && Number.isInteger(numeric) && numeric > 0) return <ReturnView key={numeric} id={numeric} tab={tab} />;
  return <ListView />;
}
