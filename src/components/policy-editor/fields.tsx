// Form controls the editor repeats: a field's error messages, a string map (annotations, node
// selector), a list of name/value objects (env, image labels) and a list of strings.
import { useState } from 'react';
import type { FC, ReactNode } from 'react';
import {
  Button,
  FormHelperText,
  HelperText,
  HelperTextItem,
  Split,
  SplitItem,
  Stack,
  StackItem,
  TextInput,
} from '@patternfly/react-core';
import { MinusCircleIcon, PlusCircleIcon } from '@patternfly/react-icons';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import { freeKey, isObject, mapEntries, renameKey } from '../../utils/draft';
import type { JsonObject } from '../../utils/draft';

/** The "add a row" link under a list editor. */
export const AddRowButton: FC<{ label: string; onClick(): void }> = ({ label, onClick }) => (
  <StackItem>
    <Button variant="link" isInline icon={<PlusCircleIcon />} onClick={onClick}>
      {label}
    </Button>
  </StackItem>
);

/** The icon button that removes one row; `label` names the row for assistive technology. */
const RemoveRowButton: FC<{ label: string; onClick(): void }> = ({ label, onClick }) => (
  <Button variant="plain" aria-label={label} icon={<MinusCircleIcon />} onClick={onClick} />
);

/** One row of a list editor: its controls, then (unless read-only) the button that removes it. */
export const EditorRow: FC<{
  removeLabel: string;
  readOnly: boolean;
  onRemove(): void;
  children: ReactNode;
}> = ({ removeLabel, readOnly, onRemove, children }) => (
  <StackItem>
    <Split hasGutter>
      {children}
      {!readOnly && (
        <SplitItem>
          <RemoveRowButton label={removeLabel} onClick={onRemove} />
        </SplitItem>
      )}
    </Split>
  </StackItem>
);

/** A text box in an editor row; read-only as PatternFly's read-only variant, so it stays selectable. */
export const RowInput: FC<{
  label: string;
  value: string | number;
  readOnly: boolean;
  onChange(next: string): void;
  placeholder?: string;
  list?: string;
  type?: 'number';
  /** Takes the room left in the row (the default); a narrow field does not. */
  isFilled?: boolean;
}> = ({ label, value, readOnly, onChange, placeholder, list, type, isFilled = true }) => (
  <SplitItem isFilled={isFilled}>
    <TextInput
      aria-label={label}
      value={value}
      placeholder={placeholder}
      list={list}
      type={type}
      readOnlyVariant={readOnly ? 'default' : undefined}
      onChange={(_e, next) => onChange(next)}
    />
  </SplitItem>
);

/** `list` with the item at `index` replaced by what `update` makes of it. */
export const updateAt = <T,>(list: readonly T[], index: number, update: (item: T) => T): T[] =>
  list.map((item, i) => (i === index ? update(item) : item));

/** `list` without the item at `index`; an emptied list of objects is no field at all. */
export const removeAt = <T,>(list: readonly T[], index: number): T[] | undefined => {
  const rest = list.filter((_, i) => i !== index);
  return rest.length ? rest : undefined;
};

export const FieldErrors: FC<{ messages: string[]; id?: string }> = ({ messages, id }) =>
  messages.length === 0 ? null : (
    <FormHelperText>
      <HelperText id={id} isLiveRegion>
        {messages.map((m) => (
          <HelperTextItem key={m} variant="error">
            {m}
          </HelperTextItem>
        ))}
      </HelperText>
    </FormHelperText>
  );

interface MapEditorProps {
  /** Names the rows for assistive technology, e.g. "Default annotation". */
  label: string;
  /** The add button's text, e.g. "Add annotation". */
  addLabel: string;
  value: unknown;
  readOnly: boolean;
  onChange(next: JsonObject): void;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
}

/** Rows of key = value over a string map; a rename onto an existing key is refused and said. */
export const MapEditor: FC<MapEditorProps> = ({
  label,
  addLabel,
  value,
  readOnly,
  onChange,
  keyPlaceholder,
  valuePlaceholder,
}) => {
  const { t } = usePluginTranslation();
  const [collision, setCollision] = useState<string>();
  const map = isObject(value) ? value : {};
  const rows = mapEntries(map);
  return (
    <Stack hasGutter>
      {rows.map(([key, val], index) => (
        <EditorRow
          key={index}
          removeLabel={t('Remove {{label}} {{index}}', { label, index: index + 1 })}
          readOnly={readOnly}
          onRemove={() => {
            const { [key]: _removed, ...rest } = map;
            onChange(rest);
          }}
        >
          <RowInput
            label={t('{{label}} {{index}} key', { label, index: index + 1 })}
            value={key}
            placeholder={keyPlaceholder}
            readOnly={readOnly}
            onChange={(next) => {
              const renamed = renameKey(map, key, next);
              if (!renamed) {
                setCollision(next);
                return;
              }
              setCollision(undefined);
              onChange(renamed);
            }}
          />
          <RowInput
            label={t('{{label}} {{index}} value', { label, index: index + 1 })}
            value={val}
            placeholder={valuePlaceholder}
            readOnly={readOnly}
            onChange={(next) => onChange({ ...map, [key]: next })}
          />
        </EditorRow>
      ))}
      {collision !== undefined && (
        <FieldErrors messages={[t('The key "{{key}}" is already listed.', { key: collision })]} />
      )}
      {!readOnly && (
        <AddRowButton label={addLabel} onClick={() => onChange({ ...map, [freeKey(map)]: '' })} />
      )}
    </Stack>
  );
};

type NamedValue = { name: string; value?: string };

function asNamedValues(value: unknown): NamedValue[] {
  return Array.isArray(value)
    ? value.map((item: unknown) =>
        isObject(item)
          ? {
              ...item,
              name: typeof item.name === 'string' ? item.name : '',
              ...(typeof item.value === 'string' ? { value: item.value } : {}),
            }
          : { name: '' },
      )
    : [];
}

interface NameValueListProps {
  label: string;
  /** The add button's text, e.g. "Add annotation". */
  addLabel: string;
  value: unknown;
  readOnly: boolean;
  onChange(next: NamedValue[] | undefined): void;
}

/** Rows of {name, value} objects, as OpenShift's env and imageLabels lists are. */
export const NameValueList: FC<NameValueListProps> = ({
  label,
  addLabel,
  value,
  readOnly,
  onChange,
}) => {
  const { t } = usePluginTranslation();
  const rows = asNamedValues(value);
  const update = (index: number, patch: Partial<NamedValue>) =>
    onChange(updateAt(rows, index, (row) => ({ ...row, ...patch })));
  return (
    <Stack hasGutter>
      {rows.map((row, index) => (
        <EditorRow
          key={index}
          removeLabel={t('Remove {{label}} {{index}}', { label, index: index + 1 })}
          readOnly={readOnly}
          onRemove={() => onChange(removeAt(rows, index))}
        >
          <RowInput
            label={t('{{label}} {{index}} name', { label, index: index + 1 })}
            value={row.name}
            readOnly={readOnly}
            onChange={(name) => update(index, { name })}
          />
          <RowInput
            label={t('{{label}} {{index}} value', { label, index: index + 1 })}
            value={row.value ?? ''}
            readOnly={readOnly}
            onChange={(value) => update(index, { value })}
          />
        </EditorRow>
      ))}
      {!readOnly && (
        <AddRowButton
          label={addLabel}
          onClick={() => onChange([...rows, { name: '', value: '' }])}
        />
      )}
    </Stack>
  );
};

interface StringListProps {
  label: string;
  /** The add button's text, e.g. "Add annotation". */
  addLabel: string;
  value: unknown;
  readOnly: boolean;
  onChange(next: string[]): void;
  /** Suggestions offered as the user types (a native datalist). */
  suggestions?: string[];
}

/** A list of strings, one text box each, with optional typeahead suggestions. */
export const StringList: FC<StringListProps> = ({
  label,
  addLabel,
  value,
  readOnly,
  onChange,
  suggestions,
}) => {
  const { t } = usePluginTranslation();
  const items = Array.isArray(value)
    ? value.map((v: unknown) => (typeof v === 'string' ? v : ''))
    : [];
  const listId = suggestions
    ? `userns-builds-${label.replace(/\W+/g, '-').toLowerCase()}-options`
    : undefined;
  return (
    <Stack hasGutter>
      {listId && (
        <datalist id={listId}>
          {(suggestions ?? []).map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
      {items.map((item, index) => (
        <EditorRow
          key={index}
          removeLabel={t('Remove {{label}} {{index}}', { label, index: index + 1 })}
          readOnly={readOnly}
          onRemove={() => onChange(items.filter((_, i) => i !== index))}
        >
          <RowInput
            label={t('{{label}} {{index}}', { label, index: index + 1 })}
            value={item}
            list={listId}
            readOnly={readOnly}
            onChange={(next) => onChange(updateAt(items, index, () => next))}
          />
        </EditorRow>
      ))}
      {!readOnly && <AddRowButton label={addLabel} onClick={() => onChange([...items, ''])} />}
    </Stack>
  );
};
