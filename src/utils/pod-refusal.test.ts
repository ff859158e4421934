import events from '../__fixtures__/events-build-refused.json';
import { isPodRefused, refusalEventsSelector, refusalMessage } from './pod-refusal';

const refused = {
  metadata: { name: 'api-2', namespace: 'team-a' },
  status: { phase: 'New', reason: 'CannotCreateBuildPod', message: 'Failed creating build pod.' },
};

describe('pod refusal', () => {
  it('recognises only a New build with CannotCreateBuildPod', () => {
    expect(isPodRefused(refused)).toBe(true);
    expect(isPodRefused({ ...refused, status: { ...refused.status, phase: 'Pending' } })).toBe(
      false,
    );
    expect(isPodRefused({ ...refused, status: { phase: 'New' } })).toBe(false);
    expect(isPodRefused({})).toBe(false);
  });

  it("selects the build's own events", () => {
    expect(refusalEventsSelector(refused)).toBe(
      'involvedObject.kind=Build,involvedObject.name=api-2',
    );
    expect(refusalEventsSelector({})).toBeUndefined();
  });

  it("quotes the newest FailedCreate event of this build, not another build's", () => {
    expect(refusalMessage(refused, events)).toMatch(
      /^Error creating build pod: pods "api-2-build" is forbidden: ValidatingAdmissionPolicy/,
    );
  });

  it("falls back to the Build's own message without readable events, and says nothing otherwise", () => {
    expect(refusalMessage(refused, undefined)).toBe('Failed creating build pod.');
    expect(refusalMessage(refused, [{ reason: 'FailedCreate' }])).toBe(
      'Failed creating build pod.',
    );
    expect(refusalMessage({ ...refused, status: { phase: 'Complete' } }, events)).toBeUndefined();
  });
});
