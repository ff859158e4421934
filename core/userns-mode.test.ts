import { CRIO_DEVICES_ANNOTATION, CRIO_USERNS_ANNOTATION } from './constants';
import {
  crioAnnotationHazard,
  devicesHazard,
  parseUsernsMode,
  unsafeCrioAnnotations,
  usernsModeHazard,
} from './userns-mode';

describe('parseUsernsMode', () => {
  it.each([
    ['auto', {}],
    ['auto:size=65536', { size: 65536 }],
    ['auto:size=65536;map-to-root=true', { size: 65536, mapToRoot: true }],
    [
      'auto:uidmapping=0:100000:65536;gidmapping=0:200000:65536',
      {
        uidMappings: [{ containerId: 0, hostId: 100000, size: 65536 }],
        gidMappings: [{ containerId: 0, hostId: 200000, size: 65536 }],
      },
    ],
    [
      'auto:uidmapping=0:100000:1,1000:@300000:10',
      {
        uidMappings: [
          { containerId: 0, hostId: 100000, size: 1 },
          { containerId: 1000, hostId: 300000, size: 10 },
        ],
      },
    ],
    ['auto:uidmapping=5:6', { uidMappings: [{ containerId: 5, hostId: 6, size: 1 }] }],
  ])('accepts %j', (value, expected) => {
    const parsed = parseUsernsMode(value);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.mode).toMatchObject(expected);
  });

  it.each([
    ['', /must be "auto"/],
    ['host', /must be "auto"/],
    ['auto:', /not key=value/],
    ['auto:size=0', /positive/],
    ['auto:size=-1', /positive/],
    ['auto:size=4294967296', /positive/],
    ['auto:size=12;', /not key=value/],
    ['auto:size=1,map-to-root=true', /positive/],
    ['auto:map-to-root=yes', /map-to-root must be true or false/],
    ['auto:uidmapping=0:x:1', /uidmapping/],
    ['auto:gidmapping=', /gidmapping/],
    ['auto:keep-id=1', /unknown option "keep-id"/],
  ])('rejects %j', (value, why) => {
    const parsed = parseUsernsMode(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(why);
  });
});

describe('usernsModeHazard', () => {
  it.each([
    'auto',
    'auto:size=65536',
    'auto:size=65536;map-to-root=true',
    'auto:uidmapping=0:65536:65536',
    'auto:uidmapping=0:100000:65536;gidmapping=0:100000:65536',
  ])('keeps isolation with %j', (value) => {
    expect(usernsModeHazard(value)).toBeUndefined();
  });

  it.each([
    ['auto:uidmapping=0:0:1', /uidmapping 0:0:1 maps container UIDs onto host UID 0/],
    ['auto:uidmapping=1000:0:1', /host UID 0/],
    ['auto:uidmapping=0:100000:10,5:@0:1', /host UID 0/],
    ['auto:size=1024;gidmapping=0:0:65536', /host GID 0/],
    ['nonsense', /CRI-O would reject/],
    // Host IDs below the node's subordinate range belong to the node's own accounts.
    ['auto:uidmapping=0:1:65536', /uidmapping 0:1:65536 .*host UIDs below 65536/],
    ['auto:uidmapping=0:65535:1', /host UIDs below 65536/],
    ['auto:uidmapping=0:100000:10,5:@1000:1', /5:1000:1 .*below 65536/],
    ['auto:gidmapping=0:5:1', /host GIDs below 65536/],
    ['keep-id', /keep-id keeps container IDs as host IDs, so a root build runs as host UID 0/],
    ['keep-id:uid=0', /keep-id keeps container IDs/],
    ['host', /container root is host root/],
    ['nomap', /nomap/],
  ])('flags %j', (value, why) => {
    expect(usernsModeHazard(value)).toMatch(why);
  });
});

describe('crioAnnotationHazard', () => {
  it('judges the two CRI-O keys a builder pod may carry, and nothing else', () => {
    expect(crioAnnotationHazard(CRIO_USERNS_ANNOTATION, 'keep-id')).toMatch(/keep-id/);
    expect(crioAnnotationHazard(CRIO_DEVICES_ANNOTATION, '/dev/mem:rwm')).toMatch(/\/dev\/fuse/);
    expect(crioAnnotationHazard(CRIO_USERNS_ANNOTATION, 'auto:size=65536')).toBeUndefined();
    expect(crioAnnotationHazard(CRIO_DEVICES_ANNOTATION, '/dev/fuse:rwm')).toBeUndefined();
    expect(crioAnnotationHazard('example.com/devices', '/dev/mem')).toBeUndefined();
  });

  it('counts a value that is not a string as unsafe', () => {
    expect(crioAnnotationHazard(CRIO_USERNS_ANNOTATION, 0)).toMatch(/not a string/);
    expect(crioAnnotationHazard(CRIO_DEVICES_ANNOTATION, null)).toMatch(/not a string/);
  });
});

describe('devicesHazard', () => {
  it.each(['/dev/fuse', '/dev/fuse:rwm', '/dev/fuse:rw', '/dev/fuse:/dev/fuse:rwm'])(
    'allows %j',
    (value) => {
      expect(devicesHazard(value)).toBeUndefined();
    },
  );

  it.each([
    '/dev/kvm',
    '/dev/fuse,/dev/kvm',
    '/dev/fuse:/dev/kvm',
    '/dev/fuse:rwmx',
    '/dev/fuse:rrr',
    '/dev/sda:/dev/fuse:rwm',
    '',
  ])('refuses %j', (value) => {
    expect(devicesHazard(value)).toMatch(/more than \/dev\/fuse/);
  });
});

describe('unsafeCrioAnnotations', () => {
  it('lists the unsafe CRI-O values of an annotation map, with reasons', () => {
    expect(
      unsafeCrioAnnotations({
        [CRIO_USERNS_ANNOTATION]: 'keep-id',
        [CRIO_DEVICES_ANNOTATION]: '/dev/mem',
        other: 'keep-id',
      }),
    ).toEqual([
      { key: CRIO_USERNS_ANNOTATION, value: 'keep-id', reason: expect.stringMatching(/keep-id/) },
      { key: CRIO_DEVICES_ANNOTATION, value: '/dev/mem', reason: expect.stringMatching(/fuse/) },
    ]);
  });

  it('finds nothing in safe or malformed maps', () => {
    expect(unsafeCrioAnnotations({ [CRIO_USERNS_ANNOTATION]: 'auto:size=65536' })).toEqual([]);
    for (const input of [undefined, null, 'x', 3]) expect(unsafeCrioAnnotations(input)).toEqual([]);
  });
});
