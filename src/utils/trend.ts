// The trend chart's series, computed apart from the chart so they are tested without it.
import type { DayCount } from '../api/compliance';
import { share } from './dashboard-query';

export interface DayShare {
  date: string;
  total: number;
  /** Percent proven user-namespaced that day; 0 on a day without builds. */
  share: number;
}

export function dailyShare(days: readonly DayCount[]): DayShare[] {
  return days.map((d) => {
    const v = d.byVerdict;
    const total = v.UserNamespaced + v.Requested + v.Privileged + v.Unknown;
    return { date: d.date, total, share: share(v.UserNamespaced, total) ?? 0 };
  });
}
