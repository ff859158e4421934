// / and /dashboards: Home → Overview, the plugin's console.dashboards/card components on the tab
// they name (the built-in one is "Cluster"; plugins add tabs with console.dashboards/tab).
import { useState, type FC } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Content, Gallery, PageSection, Title } from '@patternfly/react-core';
import { useExtensions, useResolvedExtensions } from '@openshift/dynamic-plugin-sdk';
import { isCard, isDashTab } from '../extension-types';
import { translateLabel } from '../i18n';

export const DashboardPage: FC = () => {
  const { t: translate } = useTranslation();
  const [cards] = useResolvedExtensions(isCard);
  const tabs = useExtensions(isDashTab);
  const [active, setActive] = useState('home');
  const shown = cards.filter((c) => c.properties.tab === active);
  return (
    <>
      <PageSection>
        <Title headingLevel="h1">Overview</Title>
        {tabs.length > 0 && (
          <div className="dev-console-dashboard-tabs">
            {[{ id: 'home', title: 'Cluster' }, ...tabs.map((t) => t.properties)].map((t) => (
              <Button
                key={t.id}
                variant={t.id === active ? 'primary' : 'secondary'}
                onClick={() => setActive(t.id)}
              >
                {translateLabel(t.title, translate)}
              </Button>
            ))}
          </div>
        )}
      </PageSection>
      <PageSection>
        {shown.length === 0 ? (
          <Content component="p">No dashboard cards on this tab.</Content>
        ) : (
          <Gallery hasGutter minWidths={{ default: '320px' }}>
            {shown.map(({ uid, properties: { component: C } }) => (
              <C key={uid} />
            ))}
          </Gallery>
        )}
      </PageSection>
    </>
  );
};
