import type { CampaignPlan } from '../../../shared/campaign/plan';
import { formatBytes } from '../../../shared/attachments/file-types';
import type { AttachmentView, Preview } from '../../../shared/ipc/contract';
import type { JsonObject } from '../../../shared/json';
import type { Problem } from '../../../shared/problems';
import type { UploadApi } from '../../../shared/providers/types';
import type { FileCheck, FileChecker } from '../attachments/file-check';
import { unreadable } from '../attachments/file-check';
import type { UploadFile } from '../engine/types';

/**
 * The files a campaign attaches, row by row, as validation, the preview and the run see them: each
 * row's rendered paths (shared/campaign/plan.ts) checked on disk through the campaign's FileChecker.
 * A path the plan already refused (empty, or leaving the folder) is not looked for.
 */

/** RowFiles is what a row's files came to: each checked file (or why not), and the problems to list. */
export interface RowFiles {
  checks: (FileCheck | undefined)[];
  problems: Problem[];
}

/** checkRowFiles checks row `row`'s rendered `paths`; `refused` are the fields (`files[i]`) the plan already found wrong. */
export async function checkRowFiles(plan: CampaignPlan, checker: FileChecker, row: number, paths: readonly string[], refused: ReadonlySet<string>): Promise<RowFiles> {
  const checks: (FileCheck | undefined)[] = [];
  const problems: Problem[] = [];
  for (let i = 0; i < paths.length; i++) {
    const template = plan.files[i];
    if (template === undefined || refused.has(template.field)) {
      checks.push(undefined);
      continue;
    }
    const checked = await checker.check(paths[i] as string);
    checks.push(checked);
    if ('problem' in checked) {
      const p: Problem = { row, field: template.field, reason: checked.problem, severity: 'error' };
      if (template.columns[0] !== undefined) p.column = template.columns[0];
      problems.push(p);
    }
  }
  return { checks, problems };
}

/** refusedFiles are the `files[i]` fields among `problems` (errors the plan found in the paths themselves). */
export function refusedFiles(problems: readonly Problem[]): Set<string> {
  return new Set(problems.filter((p) => p.severity === 'error' && p.field.startsWith('files[')).map((p) => p.field));
}

/** uploadFiles turns a row's paths into what the engine uploads; a file that no longer checks out fails the row's upload with the reason. */
export async function uploadFiles(checker: FileChecker, paths: readonly string[]): Promise<UploadFile[]> {
  const out: UploadFile[] = [];
  for (const path of paths) {
    const checked = await checker.check(path);
    out.push('file' in checked ? checker.uploadFile(checked.file) : unreadable(path, checked.problem));
  }
  return out;
}

/**
 * withAttachments adds a row's files to its preview: each file (name, size, type, or why it cannot
 * be attached), the upload requests that go first, and the message's `attachments` with the
 * placeholder each upload will fill in. The body shown is what is sent once the uploads have answered.
 */
export function withAttachments(preview: Preview, files: RowFiles, paths: readonly string[], uploads: UploadApi, baseUrl: string, recipient: string): Preview {
  const views: AttachmentView[] = [];
  const placeholders: JsonObject[] = [];
  paths.forEach((path, i) => {
    const checked = files.checks[i];
    if (checked !== undefined && 'file' in checked) {
      const { name, size, type } = checked.file;
      views.push({ path, name, size, type, sizeText: formatBytes(size) });
      placeholders.push(uploads.placeholder(checked.file, i + 1));
    } else {
      const problem = checked !== undefined ? checked.problem : (preview.problems.find((p) => p.field === `files[${i}]`)?.reason ?? 'cannot be attached');
      views.push({ path, name: path, problem });
    }
  });
  const body = preview.request.body;
  const out: Preview = { ...preview, attachments: views, problems: [...preview.problems, ...files.problems] };
  if (placeholders.length > 0 && typeof body === 'object' && body !== null && !Array.isArray(body)) {
    out.request = { ...preview.request, body: uploads.attach(body as JsonObject, placeholders) };
  }
  const upload = uploads.buildRequest(recipient === '' ? '{conversation}' : recipient);
  out.uploads = views.filter((v) => v.problem === undefined).map((v) => ({ method: upload.method, url: baseUrl + upload.path, field: uploads.field, file: v.name }));
  return out;
}

/**
 * filesSummary says in words what each message attaches and where the files go, for the confirmation
 * asked before sending ("brochure.pdf (1.2 MB)", "a file per row from column invoice", uploaded to
 * `host`: the person sees which server gets their files); undefined when it attaches none.
 */
export function filesSummary(plan: CampaignPlan, first: readonly (FileCheck | undefined)[], host: string): string | undefined {
  if (plan.files.length === 0) return undefined;
  const parts = plan.files.map((t, i) => {
    if (t.columns.length > 0) return `a file per row from column "${t.columns.join('", "')}"`;
    const checked = first[i];
    return checked !== undefined && 'file' in checked ? `${checked.file.name} (${formatBytes(checked.file.size)})` : (t.literal ?? '');
  });
  return `Each message attaches ${parts.join(', ')}, uploaded first to its conversation at ${host}.`;
}
