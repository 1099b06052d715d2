import type { ReactElement } from 'react';
import type { RequestOf } from '../../../shared/ipc/contract';

/** The form parts adding to the opt-out list by hand and importing a file share. */

/** OptOutKind is what a value on the list is: a phone number, a conversation id, or another key. */
export type OptOutKind = RequestOf<'optout:add'>['kind'];

/** KindOptions are the `<option>`s of the kinds a value can be. */
export function KindOptions(): ReactElement {
  return (
    <>
      <option value="phone">phone numbers</option>
      <option value="conversation">conversation ids</option>
      <option value="key">other keys (e-mail, customer id)</option>
    </>
  );
}

/** CountryField asks the country of numbers written without a country code (phone numbers only). */
export function CountryField({ country, onChange }: { country: string; onChange(country: string): void }): ReactElement {
  return (
    <label className="field">
      <span className="field-label">Country of numbers without +</span>
      <input className="input input-sm" maxLength={2} placeholder="GB" value={country} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}
