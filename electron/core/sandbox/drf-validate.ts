import { codePoints, isHttpUri, isPlainObject } from './sim-response';

/**
 * A small Django-REST-framework-style validator: Wassist is a DRF API, so a body that breaks its
 * OpenAPI schema gets DRF's 400 body, `{field: ["message"]}`, nested the way DRF nests serializer
 * errors (`{"cta": {"buttonText": ["Ensure this field has no more than 20 characters."]}}`, list
 * items keyed by index). Unlike stock DRF it refuses fields the schema does not declare, so a
 * client that sends one is caught.
 */

/** FieldSpec is one field of a schema, as the OpenAPI page declares it. */
export type FieldSpec =
  | { kind: 'string'; required?: boolean; maxLength?: number; uri?: boolean }
  | { kind: 'choice'; choices: readonly string[]; required?: boolean }
  | { kind: 'object'; fields: Record<string, FieldSpec>; required?: boolean }
  | { kind: 'list'; child: FieldSpec; required?: boolean };

/** DrfErrors is DRF's error tree: messages for a field, or errors per nested field or index. */
export type DrfErrors = string[] | { [key: string]: DrfErrors };

/** pyType names a JSON value's type the way DRF's messages do (it runs on Python). */
function pyType(v: unknown): string {
  if (v === null) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return 'dict';
}

/** validateField checks one value against its spec; undefined when it is valid. */
export function validateField(spec: FieldSpec, value: unknown): DrfErrors | undefined {
  if (value === null) return ['This field may not be null.'];
  switch (spec.kind) {
    case 'string': {
      if (typeof value !== 'string') return ['Not a valid string.'];
      const errors: string[] = [];
      if (spec.maxLength !== undefined && value.length > spec.maxLength && codePoints(value) > spec.maxLength) {
        errors.push(`Ensure this field has no more than ${spec.maxLength} characters.`);
      }
      if (spec.uri === true && !isHttpUri(value)) errors.push('Enter a valid URL.');
      return errors.length > 0 ? errors : undefined;
    }
    case 'choice':
      return typeof value === 'string' && spec.choices.includes(value)
        ? undefined
        : [`"${typeof value === 'string' ? value : JSON.stringify(value)}" is not a valid choice.`];
    case 'list': {
      if (!Array.isArray(value)) return [`Expected a list of items but got type "${pyType(value)}".`];
      const errors: Record<string, DrfErrors> = {};
      value.forEach((item, i) => {
        const e = validateField(spec.child, item);
        if (e !== undefined) errors[String(i)] = e;
      });
      return Object.keys(errors).length > 0 ? errors : undefined;
    }
    case 'object':
      return validateObject(spec.fields, value);
  }
}

/** validateObject checks an object against its fields: required, declared, each valid. */
export function validateObject(fields: Record<string, FieldSpec>, value: unknown): DrfErrors | undefined {
  if (!isPlainObject(value)) {
    return { non_field_errors: [`Invalid data. Expected a dictionary, but got ${pyType(value)}.`] };
  }
  const errors: Record<string, DrfErrors> = {};
  for (const [name, spec] of Object.entries(fields)) {
    const v = Object.hasOwn(value, name) ? value[name] : undefined;
    if (v === undefined) {
      if (spec.required === true) errors[name] = ['This field is required.'];
      continue;
    }
    const e = validateField(spec, v);
    if (e !== undefined) errors[name] = e;
  }
  for (const name of Object.keys(value)) {
    if (!Object.hasOwn(fields, name)) errors[name] = ['Unknown field: the API does not accept it.'];
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}
