// The headline: what share of builds in the window ran user-namespaced (verified at runtime), and
// the count per verdict with what each means. Renders from the summary alone, so it paints as
// soon as that one answer arrives.
import type { FC } from 'react';
import {
  Button,
  Card,
  CardBody,
  CardTitle,
  Content,
  Flex,
  FlexItem,
  Gallery,
  Label,
} from '@patternfly/react-core';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import type { Verdict } from '@userns-builds/core';
import type { ComplianceSummary } from '../../api/compliance';
import type { RequestState } from '../../hooks/useCompliance';
import { VERDICTS, verdictLabelProps } from '../../utils/build-evidence';
import { share } from '../../utils/dashboard-query';
import { VerdictText } from '../BuildUserNamespaceItem';
import { NoBuilds, PanelError, PanelLoading } from './PanelStates';

/** One line on what a verdict means; Requested also says how to turn it into proof. */
export const VerdictMeaning: FC<{ verdict: Verdict }> = ({ verdict }) => {
  const { t } = usePluginTranslation();
  switch (verdict) {
    case 'UserNamespaced':
      return t(
        'Proven: the builder’s own start-up line shows a user namespace with an unprivileged UID map.',
      );
    case 'Requested':
      return t(
        'The pod asked for a user namespace, but nothing proves it ran in one. Set BUILD_LOGLEVEL to 2 or more on the build (or in the policy) so the builder prints the line that proves it.',
      );
    case 'Privileged':
      return t(
        'Ran as root on the node: a privileged build container, no user namespace asked for, or a UID map onto host root.',
      );
    default:
      return t('No record: the build’s pod was gone before its verdict could be recorded.');
  }
};

const number = (n: number) => n.toLocaleString('en-US');

export const HeadlineBody: FC<{
  summary: ComplianceSummary;
  onVerdict?: (v: Verdict) => void;
}> = ({ summary, onVerdict }) => {
  const { t } = usePluginTranslation();
  const { total, byVerdict } = summary;
  const verified = share(byVerdict.UserNamespaced, total);
  const asked = share(byVerdict.UserNamespaced + byVerdict.Requested, total);
  return (
    <>
      <Flex alignItems={{ default: 'alignItemsBaseline' }} spaceItems={{ default: 'spaceItemsMd' }}>
        <FlexItem>
          <span className="userns-builds__headline-share" data-test="compliance-share">
            {verified === undefined ? '—' : `${verified}%`}
          </span>
        </FlexItem>
        <FlexItem>
          <Content component="p">
            {t('of {{total}} builds ran in a user namespace, proven at runtime', {
              total: number(total),
            })}
          </Content>
          {asked !== undefined && asked !== verified && (
            <Content component="small">
              {t('{{share}}% asked for one (proven or requested)', { share: asked })}
            </Content>
          )}
        </FlexItem>
      </Flex>
      <Gallery hasGutter minWidths={{ default: '220px' }} className="userns-builds__verdicts">
        {VERDICTS.map((v) => (
          <div key={v} className="userns-builds__verdict" data-test={`verdict-count-${v}`}>
            <Label {...verdictLabelProps(v)}>
              <VerdictText verdict={v} />
            </Label>
            <div className="userns-builds__verdict-count">
              {onVerdict && byVerdict[v] > 0 ? (
                <Button
                  variant="link"
                  isInline
                  onClick={() => onVerdict(v)}
                  aria-label={t('Show the {{count}} builds with this verdict in the table', {
                    count: byVerdict[v],
                  })}
                >
                  {number(byVerdict[v])}
                </Button>
              ) : (
                number(byVerdict[v])
              )}
            </div>
            <Content component="small">
              <VerdictMeaning verdict={v} />
            </Content>
          </div>
        ))}
      </Gallery>
    </>
  );
};

export const HeadlinePanel: FC<{
  state: RequestState<ComplianceSummary>;
  title: string;
  onRetry: () => void;
  onVerdict?: (v: Verdict) => void;
}> = ({ state, title, onRetry, onVerdict }) => {
  const { t } = usePluginTranslation();
  return (
    <Card data-test="compliance-headline">
      <CardTitle component="h2">{title}</CardTitle>
      <CardBody>
        {state.state === 'loading' && <PanelLoading label={t('Loading the summary')} />}
        {state.state === 'error' && <PanelError error={state.error} onRetry={onRetry} />}
        {state.state === 'loaded' &&
          (state.data.total === 0 ? (
            <NoBuilds />
          ) : (
            <HeadlineBody summary={state.data} onVerdict={onVerdict} />
          ))}
      </CardBody>
    </Card>
  );
};
