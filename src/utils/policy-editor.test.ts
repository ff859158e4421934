import { parseUsernsMode, usernsModeHazard } from '@userns-builds/core';
import {
  autoSizeValue,
  errorsAt,
  mapToRootValue,
  MODE_REQUIREMENTS,
  parseSize,
  validateDraft,
} from './policy-editor';

describe('validateDraft', () => {
  it("runs core's validation over the draft's spec, with field paths", () => {
    const errors = validateDraft({
      spec: {
        userNamespaces: { default: 'Sometimes', exemptNamespaces: ['Bad_NS'] },
        passthroughAnnotations: ['ok.example.com/x', 'ok.example.com/x'],
      },
    });
    expect(errors.map((e) => e.path)).toEqual([
      'spec.userNamespaces.default',
      'spec.userNamespaces.exemptNamespaces[0]',
      'spec.passthroughAnnotations[1]',
    ]);
    expect(validateDraft({ metadata: { name: 'cluster' } })).toEqual([]);
    expect(validateDraft({ spec: 'x' })[0]!.message).toMatch(/must be an object/);
  });
});

describe('errorsAt', () => {
  const errors = [
    { path: 'spec.userNamespaces.default', message: 'bad default' },
    { path: 'spec.userNamespaces.exemptNamespaces[1]', message: 'bad name' },
    { path: 'spec.userNamespaces.exemptNamespacesX', message: 'other field' },
  ];

  it('gives a field its own messages and, for a list, its items’ messages with their index', () => {
    expect(errorsAt(errors, 'spec.userNamespaces.default')).toEqual(['bad default']);
    expect(errorsAt(errors, 'spec.userNamespaces.exemptNamespaces')).toEqual(['[1]: bad name']);
    expect(errorsAt(errors, 'spec.userNamespaces', false)).toEqual([]);
  });
});

describe('presets', () => {
  it('produce values core accepts and finds safe', () => {
    for (const value of [autoSizeValue(65536), mapToRootValue(131072)]) {
      expect(parseUsernsMode(value).ok).toBe(true);
      expect(usernsModeHazard(value)).toBeUndefined();
    }
    expect(parseUsernsMode(mapToRootValue(1))).toEqual({
      ok: true,
      mode: { size: 1, mapToRoot: true, uidMappings: [], gidMappings: [] },
    });
  });

  it('the refused examples are refused by core', () => {
    expect(usernsModeHazard('auto:uidmapping=0:0:65536')).toMatch(/onto host UID 0/);
    expect(parseUsernsMode('keep-id').ok).toBe(false);
  });

  it('parses a size from a text box', () => {
    expect(parseSize(' 65536 ')).toBe(65536);
    expect(parseSize('0')).toBeUndefined();
    expect(parseSize('4294967296')).toBeUndefined();
    expect(parseSize('12k')).toBeUndefined();
  });

  it('names the releases for every mode', () => {
    expect(MODE_REQUIREMENTS.map((r) => r.mode)).toEqual(['CRIOAnnotation', 'HostUsers', 'Both']);
  });
});
