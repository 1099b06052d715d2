import type { ReactElement } from 'react';
import { shortText } from '../../ui/short-text';

/** SampleTable shows the first rows of the CSV under their headers, scrolling sideways when wide. */
export function SampleTable({ headers, rows }: { headers: readonly string[]; rows: readonly (readonly string[])[] }): ReactElement {
  if (rows.length === 0) return <p className="muted">The file has a header but no data rows.</p>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Sample rows">
      <table className="table" data-testid="sample-table">
        <thead>
          <tr>
            <th scope="col" className="num">#</th>
            {headers.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td className="num muted">{i + 1}</td>
              {headers.map((_, j) => (
                <td key={j} title={shortText(r[j] ?? '', 1000)}>
                  {shortText(r[j] ?? '', 200)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
