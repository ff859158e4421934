// The daily trend, in its own chunk: the chart library is most of its weight, and the headline
// must not wait for it (TrendPanel loads this with React.lazy).
import type { FC } from 'react';
import {
  Chart,
  ChartAxis,
  ChartBar,
  ChartGroup,
  ChartLine,
  ChartStack,
  ChartThemeColor,
  ChartVoronoiContainer,
} from '@patternfly/react-charts/victory';
import { t_chart_color_black_300 as unknownColor } from '@patternfly/react-tokens/dist/js/t_chart_color_black_300';
import { t_chart_color_blue_300 as requestedColor } from '@patternfly/react-tokens/dist/js/t_chart_color_blue_300';
import { t_chart_color_green_300 as provenColor } from '@patternfly/react-tokens/dist/js/t_chart_color_green_300';
import { t_chart_color_orange_300 as privilegedColor } from '@patternfly/react-tokens/dist/js/t_chart_color_orange_300';
import { usePluginTranslation } from '../../hooks/usePluginTranslation';
import type { DayCount } from '../../api/compliance';
import { VERDICTS } from '../../utils/build-evidence';
import { dailyShare } from '../../utils/trend';

/** One colour per verdict, in VERDICTS order, matching the verdict labels' status colours. */
const VERDICT_COLORS = [provenColor.var, requestedColor.var, privilegedColor.var, unknownColor.var];

const PADDING = { bottom: 60, left: 60, right: 30, top: 20 };

export const TrendChart: FC<{ days: DayCount[] }> = ({ days }) => {
  const { t } = usePluginTranslation();
  const shares = dailyShare(days);
  const tickValues = shares.length > 8 ? undefined : shares.map((s) => s.date);
  return (
    <div className="userns-builds__trend">
      <div className="userns-builds__trend-chart">
        <Chart
          ariaTitle={t('Share of builds proven user-namespaced, per day')}
          ariaDesc={t('A line per UTC day, 0 to 100 percent')}
          containerComponent={
            <ChartVoronoiContainer
              labels={({ datum }: { datum: { x: string; y: number } }) => `${datum.x}: ${datum.y}%`}
              constrainToVisibleArea
            />
          }
          domain={{ y: [0, 100] }}
          height={220}
          padding={PADDING}
          themeColor={ChartThemeColor.green}
        >
          <ChartAxis tickValues={tickValues} fixLabelOverlap />
          <ChartAxis dependentAxis showGrid tickFormat={(v: number) => `${v}%`} />
          <ChartGroup>
            <ChartLine data={shares.map((s) => ({ x: s.date, y: s.share }))} />
          </ChartGroup>
        </Chart>
      </div>
      <div className="userns-builds__trend-chart">
        <Chart
          ariaTitle={t('Builds per day by verdict')}
          ariaDesc={t('Stacked bars per UTC day: proven, requested, privileged and unknown')}
          containerComponent={<ChartVoronoiContainer constrainToVisibleArea />}
          legendData={VERDICTS.map((v) => ({ name: v }))}
          legendPosition="bottom"
          height={260}
          padding={{ ...PADDING, bottom: 90 }}
          colorScale={VERDICT_COLORS}
        >
          <ChartAxis tickValues={tickValues} fixLabelOverlap />
          <ChartAxis dependentAxis showGrid />
          <ChartStack colorScale={VERDICT_COLORS}>
            {VERDICTS.map((v) => (
              <ChartBar
                key={v}
                name={v}
                data={days.map((d) => ({ x: d.date, y: d.byVerdict[v], name: v }))}
              />
            ))}
          </ChartStack>
        </Chart>
      </div>
    </div>
  );
};

export default TrendChart;
