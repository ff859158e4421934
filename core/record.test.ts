import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DECISION_SOURCE_ANNOTATION,
  EVIDENCE_ANNOTATION,
  RECORDED_FOR_ANNOTATION,
  VERDICT_ANNOTATION,
  isRecordBound,
  isVerdict,
  recordedOnBuild,
  copiedRecordKeys,
  type RecordedBuildMeta,
} from '@userns-builds/core';

const UID = '0e3f8a52-1c4b-4f0e-8d51-7c9a6b1e4a01';

/** A Rebuild's copy: the old Build's record on a new Build with its own uid. */
function rebuiltCopy(): RecordedBuildMeta {
  return JSON.parse(
    readFileSync(join(__dirname, 'fixtures', 'build-rebuilt-copy.json'), 'utf8'),
  ) as RecordedBuildMeta;
}

function recorded(uid: string | undefined, boundTo: string | undefined): RecordedBuildMeta {
  return {
    metadata: {
      ...(uid !== undefined ? { uid } : {}),
      annotations: {
        [VERDICT_ANNOTATION]: 'Privileged',
        [EVIDENCE_ANNOTATION]: 'privileged container docker-build',
        [DECISION_SOURCE_ANNOTATION]: 'Build',
        ...(boundTo !== undefined ? { [RECORDED_FOR_ANNOTATION]: boundTo } : {}),
      },
    },
  };
}

describe('recordedOnBuild', () => {
  it('reads a record bound to the Build it sits on', () => {
    expect(recordedOnBuild(recorded(UID, UID))).toEqual({
      verdict: 'Privileged',
      evidence: 'privileged container docker-build',
      decisionSource: 'Build',
    });
    expect(isRecordBound(recorded(UID, UID))).toBe(true);
  });

  it.each([
    ['bound to another Build (a Rebuild copy)', recorded(UID, 'another-uid')],
    ['bound to no Build (written before the binding, or forged)', recorded(UID, undefined)],
    ['on a Build without a uid', recorded(undefined, UID)],
    ['bound to an empty uid on a Build with an empty uid', recorded('', '')],
    ['with no annotations at all', { metadata: { uid: UID } }],
    ['with no metadata', {}],
  ])('is not recorded when %s', (_, build) => {
    expect(recordedOnBuild(build)).toBeUndefined();
    expect(isRecordBound(build)).toBe(false);
  });

  it('treats the Rebuild fixture as not recorded, and names every copied key to remove', () => {
    const copy = rebuiltCopy();
    expect(recordedOnBuild(copy)).toBeUndefined();
    expect(copiedRecordKeys(copy)).toEqual([
      VERDICT_ANNOTATION,
      EVIDENCE_ANNOTATION,
      DECISION_SOURCE_ANNOTATION,
      RECORDED_FOR_ANNOTATION,
    ]);
  });

  it('returns non-string values as missing', () => {
    const build = recorded(UID, UID);
    (build.metadata!.annotations as Record<string, unknown>)[EVIDENCE_ANNOTATION] = 7;
    expect(recordedOnBuild(build)?.evidence).toBeUndefined();
  });
});

describe('copiedRecordKeys', () => {
  it('is empty for a bound record and for a Build with no record', () => {
    expect(copiedRecordKeys(recorded(UID, UID))).toEqual([]);
    expect(copiedRecordKeys({ metadata: { uid: UID, annotations: { a: 'b' } } })).toEqual([]);
  });

  it('names only the record keys present, never other annotations', () => {
    const build: RecordedBuildMeta = {
      metadata: {
        uid: UID,
        annotations: {
          [VERDICT_ANNOTATION]: 'Unknown',
          [RECORDED_FOR_ANNOTATION]: 'another-uid',
          'team.example.com/ticket': 'OPS-1',
        },
      },
    };
    expect(copiedRecordKeys(build)).toEqual([VERDICT_ANNOTATION, RECORDED_FOR_ANNOTATION]);
  });

  it('leaves a record with no binding in place: read as no record, never removed', () => {
    const build: RecordedBuildMeta = {
      metadata: { uid: UID, annotations: { [VERDICT_ANNOTATION]: 'Privileged' } },
    };
    expect(recordedOnBuild(build)).toBeUndefined();
    expect(copiedRecordKeys(build)).toEqual([]);
  });
});

describe('isVerdict', () => {
  it('accepts the four verdicts and nothing else', () => {
    for (const v of ['UserNamespaced', 'Requested', 'Privileged', 'Unknown']) {
      expect(isVerdict(v)).toBe(true);
    }
    for (const v of ['userNamespaced', '', undefined, 1, 'Privileged ']) {
      expect(isVerdict(v)).toBe(false);
    }
  });
});
