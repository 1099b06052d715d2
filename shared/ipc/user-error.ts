/**
 * UserError is a refusal whose message is written for the person using the app ("this profile
 * needs its API key entered again", "no campaign with that id"). The IPC layer passes its message
 * to the renderer as it is; any other unexpected error reaches the renderer only as a generic
 * message, with the details kept in the main log.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
