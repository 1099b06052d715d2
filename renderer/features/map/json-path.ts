import type { JsonObject, JsonValue } from '../../../shared/json';

/**
 * The map form edits the campaign's message in place, as the JSON the file holds: each field of
 * the form is a path into it. These helpers read and write by path without mutating, so React
 * sees a new object on every change.
 */

/** JsonPath addresses a value inside a message: keys and array indexes. */
export type JsonPath = readonly (string | number)[];

/** getAt reads the value at path, or undefined when any step is missing. */
export function getAt(root: JsonValue | undefined, path: JsonPath): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? (typeof key === 'number' ? cur[key] : undefined) : (cur as JsonObject)[String(key)];
  }
  return cur;
}

/** getString reads a string at path ('' when absent or not a string). */
export function getString(root: JsonValue | undefined, path: JsonPath): string {
  const v = getAt(root, path);
  return typeof v === 'string' ? v : '';
}

/** getArray reads an array at path ([] when absent). */
export function getArray(root: JsonValue | undefined, path: JsonPath): JsonValue[] {
  const v = getAt(root, path);
  return Array.isArray(v) ? v : [];
}

/**
 * setAt returns a copy of root with value at path, creating objects (or arrays, for numeric keys)
 * on the way. `undefined` removes the key (for optional fields the user switched off).
 */
export function setAt(root: JsonObject, path: JsonPath, value: JsonValue | undefined): JsonObject {
  return setIn(root, path, 0, value) as JsonObject;
}

function setIn(cur: JsonValue | undefined, path: JsonPath, i: number, value: JsonValue | undefined): JsonValue | undefined {
  if (i === path.length) return value;
  const key = path[i] as string | number;
  if (typeof key === 'number') {
    const arr = Array.isArray(cur) ? [...cur] : [];
    const next = setIn(arr[key], path, i + 1, value);
    if (next === undefined) arr.splice(key, 1);
    else arr[key] = next;
    return arr;
  }
  const obj: JsonObject = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? { ...cur } : {};
  const next = setIn(obj[key], path, i + 1, value);
  if (next === undefined) delete obj[key];
  else obj[key] = next;
  return obj;
}

/** appendAt returns a copy of root with value pushed onto the array at path (created when absent). */
export function appendAt(root: JsonObject, path: JsonPath, value: JsonValue): JsonObject {
  return setAt(root, path, [...getArray(root, path), value]);
}

/** removeAt returns a copy of root without item `index` of the array at path; an emptied array is removed. */
export function removeAt(root: JsonObject, path: JsonPath, index: number): JsonObject {
  const arr = getArray(root, path).filter((_, i) => i !== index);
  return setAt(root, path, arr.length === 0 ? undefined : arr);
}
