/**
 * Auto-matching pre-fills slots from the CSV headers, so a typical CRM export maps itself: the
 * recipient finds `conversation_id`, a CTA url finds `promo_url`, the first template variable finds
 * `first_name`, a phone recipient finds `Telefon`. Names are compared loosely (case, accents,
 * spaces, `_` and `-` ignored), exact matches first, then a header that contains the hint. The hints
 * cover the languages the app's users write their spreadsheets in: English, German, French,
 * Spanish, Italian, Portuguese and Dutch.
 */

/** normalizeHeader folds a header or hint for loose comparison: lower case, no accents, letters and digits only. */
export function normalizeHeader(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** slotHints lists, for each kind of slot, the header names that usually fill it, best first. */
export const slotHints = {
  recipient: ['conversation_id', 'conversationid', 'conversation', 'chat_id', 'thread_id', 'wa_id', 'konversation_id', 'gesprach_id', 'id_conversation', 'id_conversacion', 'id_conversazione', 'id_conversa', 'gesprek_id'],
  phone: [
    'phone', 'phone_number', 'mobile', 'mobile_number', 'cell', 'cell_phone', 'msisdn', 'whatsapp', 'whatsapp_number', 'tel', 'telephone',
    'telefon', 'telefonnummer', 'handy', 'handynummer', 'mobil', 'mobilnummer', 'mobiltelefon', 'rufnummer',
    'telephone', 'portable', 'numero_de_telephone', 'numero_portable', 'tel_portable',
    'telefono', 'movil', 'celular', 'numero_de_telefono', 'telefono_movil',
    'cellulare', 'numero_di_telefono', 'telefono_cellulare',
    'telefone', 'telemovel', 'numero_de_telefone',
    'telefoon', 'telefoonnummer', 'mobiel', 'mobiele_nummer', 'gsm',
    'number',
  ],
  firstName: [
    'first_name', 'firstname', 'given_name', 'vorname', 'prenom', 'nombre', 'nome', 'primeiro_nome', 'voornaam', 'roepnaam',
    'name', 'full_name', 'customer_name', 'contact_name', 'kundenname', 'nom_complet', 'nombre_completo', 'nome_completo', 'naam',
  ],
  lastName: ['last_name', 'lastname', 'surname', 'family_name', 'nachname', 'familienname', 'nom_de_famille', 'apellido', 'apellidos', 'cognome', 'sobrenome', 'apelido', 'achternaam'],
  templateName: ['template_name', 'template', 'vorlage', 'modele', 'plantilla', 'modello', 'modelo', 'sjabloon'],
  header: ['header', 'template_header', 'title', 'titel', 'titre', 'titulo', 'titolo', 'kop'],
  url: ['promo_url', 'url', 'link', 'cta_url', 'button_url', 'tracking_url', 'lien', 'enlace', 'collegamento', 'ligacao'],
  image: ['image_url', 'image', 'img', 'picture', 'photo_url', 'photo', 'bild', 'bild_url', 'foto', 'foto_url', 'imagen', 'immagine', 'imagem', 'afbeelding'],
  media: ['media_url', 'media', 'image_url', 'image', 'video_url', 'bild_url', 'bild', 'medien', 'imagen', 'immagine', 'imagem', 'afbeelding'],
  text: ['message', 'text', 'body', 'content', 'message_text', 'nachricht', 'nachrichtentext', 'texte', 'mensaje', 'texto', 'messaggio', 'testo', 'mensagem', 'bericht', 'tekst'],
  footer: ['footer', 'fusszeile', 'pied_de_page', 'pie', 'pie_de_pagina', 'pie_di_pagina', 'rodape', 'voettekst'],
  buttonText: ['button_text', 'cta_text', 'button_label', 'button', 'schaltflache', 'bouton', 'boton', 'pulsante', 'botao', 'knop'],
  senderId: ['sender_id', 'agent_id', 'user_id', 'absender_id', 'id_expediteur', 'id_remitente'],
  credits: ['credits', 'credit', 'balance', 'points', 'guthaben', 'punkte', 'credito', 'creditos', 'crediti', 'saldo', 'punten', 'tegoed'],
} as const;

export type SlotHint = keyof typeof slotHints;

/** Headers a hint must never take even though they contain it: a last name is not a first name. */
const excluded: Partial<Record<SlotHint, readonly string[]>> = {
  firstName: slotHints.lastName,
};

/** matchHeader finds the header that best fits any of the candidate names (none of `exclude`), or undefined. */
export function matchHeader(headers: readonly string[], candidates: readonly string[], exclude: readonly string[] = []): string | undefined {
  const norm = headers.map(normalizeHeader);
  const barred = exclude.map(normalizeHeader).filter((x) => x.length >= 4);
  const allowed = norm.map((h) => !barred.some((x) => h.includes(x)));
  for (const c of candidates) {
    const i = norm.findIndex((h, j) => allowed[j] === true && h === normalizeHeader(c));
    if (i >= 0) return headers[i];
  }
  for (const c of candidates) {
    const n = normalizeHeader(c);
    if (n.length < 4) continue; // short hints ("url", "img", "tel") match too much inside other names
    const i = norm.findIndex((h, j) => allowed[j] === true && h.includes(n));
    if (i >= 0) return headers[i];
  }
  return undefined;
}

/** matchHint is matchHeader for one of the known slot kinds. */
export function matchHint(headers: readonly string[], hint: SlotHint): string | undefined {
  return matchHeader(headers, slotHints[hint], excluded[hint]);
}

/**
 * matchNumbered finds headers for numbered variables (`var1`, `body_2`, `variable 3`, `{{1}}`-style
 * exports), in order, so template body variables fill themselves when the CSV names them so.
 */
export function matchNumbered(headers: readonly string[], prefixes: readonly string[] = ['var', 'variable', 'body', 'param', 'body_var', 'variabel', 'variabile', 'variavel']): string[] {
  const found = new Map<number, string>();
  const pattern = new RegExp(`^(?:${prefixes.map(normalizeHeader).join('|')})(\\d+)$`);
  for (const h of headers) {
    const m = pattern.exec(normalizeHeader(h));
    const n = m?.[1] !== undefined ? Number(m[1]) : NaN;
    if (Number.isInteger(n) && !found.has(n)) found.set(n, h);
  }
  const out: string[] = [];
  for (let n = found.has(0) ? 0 : 1; found.has(n); n++) out.push(found.get(n) as string);
  return out;
}
