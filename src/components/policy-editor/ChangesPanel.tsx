// What a save would change, and, after a 409, the server's change beside the user's edit.
import type { FC } from 'react';
import {
  Alert,
  AlertActionLink,
  Content,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Grid,
  GridItem,
  Title,
} from '@patternfly/react-core';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import { diffObjects, editableView } from '../../utils/draft';
import type { Change, Json, JsonObject } from '../../utils/draft';

const show = (value: Json | undefined) =>
  value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

export const ChangeList: FC<{ changes: Change[]; label: string }> = ({ changes, label }) => {
  const { t } = usePluginTranslation();
  if (changes.length === 0) return <Content component="p">{t('No changes')}</Content>;
  return (
    <DescriptionList isCompact aria-label={label}>
      {changes.map((c) => (
        <DescriptionListGroup key={c.path}>
          <DescriptionListTerm>
            <code>{c.path}</code>
          </DescriptionListTerm>
          <DescriptionListDescription>
            {c.kind === 'added' && t('added: {{after}}', { after: show(c.after) })}
            {c.kind === 'removed' && t('removed (was {{before}})', { before: show(c.before) })}
            {c.kind === 'changed' &&
              t('{{before}} → {{after}}', { before: show(c.before), after: show(c.after) })}
          </DescriptionListDescription>
        </DescriptionListGroup>
      ))}
    </DescriptionList>
  );
};

interface ConflictProps {
  title: string;
  base: JsonObject | undefined;
  mine: JsonObject;
  theirs: JsonObject;
  onReapply(): void;
  onDiscard(): void;
}

export const ConflictPanel: FC<ConflictProps> = ({
  title,
  base,
  mine,
  theirs,
  onReapply,
  onDiscard,
}) => {
  const { t } = usePluginTranslation();
  const baseView = editableView(base);
  return (
    <Alert
      variant="warning"
      isInline
      title={title}
      actionLinks={
        <>
          <AlertActionLink onClick={onReapply}>
            {t('Reapply my changes on the new version')}
          </AlertActionLink>
          <AlertActionLink onClick={onDiscard}>{t('Discard my changes')}</AlertActionLink>
        </>
      }
    >
      <Content component="p">
        {t(
          'Someone saved a newer version while you were editing, so nothing was saved. Your edit is kept: reapply it on top of their version, then review and save.',
        )}
      </Content>
      <Grid hasGutter md={6}>
        <GridItem>
          <Title headingLevel="h3">{t('Changed on the server')}</Title>
          <ChangeList
            changes={diffObjects(baseView, editableView(theirs))}
            label={t('Changed on the server')}
          />
        </GridItem>
        <GridItem>
          <Title headingLevel="h3">{t('Your edit')}</Title>
          <ChangeList changes={diffObjects(baseView, editableView(mine))} label={t('Your edit')} />
        </GridItem>
      </Grid>
    </Alert>
  );
};
