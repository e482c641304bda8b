import { elementIdFor } from '../../src/meetings/series/rules.js';
import { newId } from '../../src/ids.js';
import { meetingStore } from '../../src/storage/meeting-store.js';
import type { TableStore } from '../../src/storage/table-store.js';
import { users, type TestUser, type Where } from './activities.js';
import { cardText } from './fake-connector.js';
import { actionData, type Client } from './teams-client.js';

/** The bootstrap admin of the fault suites: every bot there runs with this aad id as admin. */
export const admin = users.anna;
export const ADMIN_IDS = admin.aadObjectId;

export type MeetingRef = { readonly meetingId: string; readonly date: string };

/** `count` Tuesdays from about six weeks ahead, one week apart, as YYYY-MM-DD. */
export function futureDates(count: number, from = new Date()): string[] {
  const start = new Date(from.getTime() + 42 * 86_400_000);
  start.setUTCDate(start.getUTCDate() + ((9 - start.getUTCDay()) % 7));
  return Array.from({ length: count }, (_, n) =>
    new Date(start.getTime() + n * 7 * 86_400_000).toISOString().slice(0, 10),
  );
}

/**
 * Makes the admin a samordnare and `representatives` representanter (with the admin's
 * personal chat opened first, as a real user would), through the real /roller command.
 */
export async function grantRoles(client: Client, representatives: readonly TestUser[]) {
  await client.say('/hjälp', admin, { kind: 'personal' });
  const grants: [TestUser, string][] = [
    [admin, 'samordnare forbundskansliet'],
    ...representatives.map((user): [TestUser, string] => [user, 'representant fk']),
  ];
  for (const [user, role] of grants) {
    const { reply } = await client.say(
      `/roller ge <at>${user.name}</at> ${role}`,
      admin,
      { kind: 'personal' },
      [user],
    );
    if (reply.status !== 200) throw new Error(`Granting a role answered ${reply.status}`);
  }
}

/**
 * Creates a referensgrupp series on fixed dates through `/möte ny` and its form, as a
 * samordnare does, and returns the occurrences.
 */
export async function createSeries(
  client: Client,
  where: Where,
  dates: readonly string[],
): Promise<MeetingRef[]> {
  const { replies } = await client.say('/möte ny', admin, where);
  const form = replies[0]?.body.attachments?.[0]?.content;
  const { requestId } = actionData(form, 'meeting.create');
  const { card } = await client.click(
    'meeting.create',
    {
      requestId: requestId ?? newId(),
      type: 'referensgrupp',
      name: 'Referensgrupp tålighet',
      recurrence: 'dates',
      dates: dates.join(', '),
      startDate: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(
        new Date(),
      ),
      time: '09:00',
      place: 'Teams',
      organisations: 'fk,region',
      holidayPolicy: 'keep',
      summerBreak: 'false',
    },
    admin,
    where,
  );
  if (!cardText(card).includes('är skapad')) {
    throw new Error(`The series was not created: ${cardText(card)}`);
  }
  const { meetingId, date } = actionData(card, 'agenda.open') as MeetingRef;
  if (date !== dates[0]) throw new Error('The conversation already has an earlier meeting');
  return dates.map((date) => ({ meetingId, date }));
}

/** An agenda item's form data with a fresh request id and a title that names it. */
export function itemForm(ref: MeetingRef, title: string, requestId: string = newId()) {
  return {
    ...ref,
    requestId,
    title,
    description: 'Underlag finns i kanalen.',
    category: 'fraga',
    presenter: '',
    minutes: '5',
  };
}

/** Whether an `agenda.add` answer says the item is on the agenda (new or already there). */
export function addAcknowledged(card: unknown, title: string): boolean {
  const text = cardText(card);
  return text.includes(`”${title}” är tillagd`) || text.includes('Punkten fanns redan');
}

/** The agenda item id the meeting service gives an add by `userId` with `requestId`. */
export function itemIdOf(requestId: string, userId: string): string {
  return elementIdFor(userId, requestId);
}

/** What is stored for one meeting, read straight from its series aggregate. */
export async function storedMeeting(store: TableStore, ref: MeetingRef) {
  const rows = await meetingStore(store).elements(ref.meetingId, ref.date, ref.date);
  const values = rows.map((row) => row.value);
  return {
    items: values.filter((v) => v.row === 'item'),
    decisions: values.filter((v) => v.row === 'decision'),
    actions: values.filter((v) => v.row === 'action'),
  };
}
