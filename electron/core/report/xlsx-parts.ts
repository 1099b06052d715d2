/**
 * The SpreadsheetML pieces of the report workbook (ECMA-376 part 1, §18): cells as strings of XML,
 * and the small fixed parts (content types, relationships, styles, the workbook). Text goes in
 * inline-string cells (`t="inlineStr"`): a string is never a formula, whatever it starts with, and
 * nothing needs holding in a shared-strings table until the end.
 */

export const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** EXCEL_MAX_ROWS is a worksheet's last row (header included). */
export const EXCEL_MAX_ROWS = 1_048_576;
/** EXCEL_MAX_TEXT is the most characters a cell holds; Excel reports a longer one as a damaged file. */
export const EXCEL_MAX_TEXT = 32_767;

/** Style ids: positions in styles.xml's cellXfs. */
export const STYLE = { general: 0, text: 1, header: 2, integer: 3, label: 4, percent: 5, decimal: 6 } as const;

// Characters XML 1.0 cannot carry (C0 controls but tab and LF; CR, which XML parsers turn into LF;
// U+FFFE/U+FFFF), and a literal `_xHHHH_`, which readers would decode as an escape: each is written
// as the Office escape `_xHHHH_` (the underscore of a literal one as `_x005F_`), so it reads back exact.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_/;
// eslint-disable-next-line no-control-regex
const ESCAPES = /[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_(?=x[0-9a-fA-F]{4}_)/g;
const hex4 = (c: string) => `_x${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}_`;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** xmlText escapes a value for an element's text so that a reader gets back exactly the value. */
export function xmlText(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(ESCAPES, (c) => ENTITIES[c] ?? hex4(c));
}

/** xmlAttr escapes a value for a double-quoted attribute. */
export function xmlAttr(value: string): string {
  return xmlText(value).replace(/"/g, '&quot;');
}

// Excel drops leading and trailing white space of a text unless told to keep it.
const EDGE_SPACE = /^\s|\s$/;
// One test finds the rare value that needs either treatment, so a plain value costs a single scan.
// eslint-disable-next-line no-control-regex
const SPECIAL = /[&<>\x00-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$/;

/** textCell is an inline-string cell; an empty value is no cell at all (a blank cell). */
export function textCell(ref: string, value: string, style: number = STYLE.text): string {
  if (value === '') return '';
  if (!SPECIAL.test(value)) return `<c r="${ref}" s="${style}" t="inlineStr"><is><t>${value}</t></is></c>`;
  const space = EDGE_SPACE.test(value) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}" s="${style}" t="inlineStr"><is><t${space}>${xmlText(value)}</t></is></c>`;
}

/** numberCell is a numeric cell. */
export function numberCell(ref: string, value: number, style: number = STYLE.integer): string {
  return `<c r="${ref}" s="${style}"><v>${value}</v></c>`;
}

/** columnName is a column's letters: 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** ColumnSpec is a `<col>`: its width in characters and the style new cells in it take. */
export interface ColumnSpec {
  width: number;
  style?: number;
}

/** sheetStart opens a worksheet: an optional frozen first row, the columns, then the data. */
export function sheetStart(columns: readonly ColumnSpec[], frozenHeader: boolean): string {
  const pane = frozenHeader
    ? '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    : '';
  const cols = columns
    .map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"${c.style === undefined ? '' : ` style="${c.style}"`}/>`)
    .join('');
  return (
    `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
    `<sheetViews><sheetView workbookViewId="0">${pane}</sheetView></sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/>${cols === '' ? '' : `<cols>${cols}</cols>`}<sheetData>`
  );
}

/** sheetEnd closes the data, with an autofilter over `filterRef` (e.g. `A1:R1001`) when given. */
export function sheetEnd(filterRef?: string): string {
  return `</sheetData>${filterRef === undefined ? '' : `<autoFilter ref="${filterRef}"/>`}</worksheet>`;
}

/** SheetPart names a worksheet of the workbook, in tab order. */
export interface SheetPart {
  name: string;
  /** The autofilter range as the workbook's hidden `_xlnm._FilterDatabase` name wants it (`$A$1:$R$1001`). */
  filter?: string;
}

export function contentTypes(sheets: number): string {
  const ct = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
  const overrides = Array.from({ length: sheets }, (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${ct}.worksheet+xml"/>`).join('');
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/xl/workbook.xml" ContentType="${ct}.sheet.main+xml"/>` +
    `<Override PartName="/xl/styles.xml" ContentType="${ct}.styles+xml"/>${overrides}</Types>`
  );
}

export function rootRels(): string {
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
}

export function workbookRels(sheets: number): string {
  const rels = Array.from({ length: sheets }, (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('');
  return `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">${rels}<Relationship Id="rId${sheets + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`;
}

export function workbook(sheets: readonly SheetPart[]): string {
  const list = sheets.map((s, i) => `<sheet name="${xmlAttr(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const names = sheets
    .map((s, i) => (s.filter === undefined ? '' : `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">'${xmlText(s.name.replace(/'/g, "''"))}'!${s.filter}</definedName>`))
    .join('');
  return (
    `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView activeTab="0"/></bookViews>` +
    `<sheets>${list}</sheets>${names === '' ? '' : `<definedNames>${names}</definedNames>`}</workbook>`
  );
}

/** styles: the cellXfs behind STYLE (49 is the built-in Text format "@", 1 is "0", 2 is "0.00"). */
export function styles(): string {
  const xf = (numFmt: number, font: number) =>
    `<xf numFmtId="${numFmt}" fontId="${font}" fillId="0" borderId="0" xfId="0"${numFmt === 0 ? '' : ' applyNumberFormat="1"'}${font === 0 ? '' : ' applyFont="1"'}/>`;
  const font = (bold: boolean) => `<font>${bold ? '<b/>' : ''}<sz val="11"/><name val="Calibri"/><family val="2"/></font>`;
  const xfs = [xf(0, 0), xf(49, 0), xf(49, 1), xf(1, 0), xf(0, 1), xf(164, 0), xf(2, 0)];
  return (
    `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>` +
    `<fonts count="2">${font(false)}${font(true)}</fonts>` +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
  );
}
