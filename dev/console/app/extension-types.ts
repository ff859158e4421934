// The console extension types the shell reads, with their properties as the shell uses them, and a
// type guard for each; extensions.ts says where each one is placed.
import type { FC, ReactNode } from 'react';
import type { CodeRef, Extension } from '@openshift/dynamic-plugin-sdk';
import type {
  AccessReviewResourceAttributes,
  K8sModel,
  K8sResourceCommon,
} from '@openshift-console/dynamic-plugin-sdk';
import type { ModelMatcher, NavItem } from './extensions';

export type RouteExt = Extension<
  'console.page/route',
  { path: string | string[]; exact?: boolean; component: CodeRef<FC> }
>;
export type HrefExt = Extension<'console.navigation/href', NavItem>;
export type SectionExt = Extension<
  'console.navigation/section',
  { id: string; name?: string; insertAfter?: string | string[]; insertBefore?: string | string[] }
>;
export type ContextProviderExt = Extension<
  'console.context-provider',
  {
    provider: CodeRef<FC<{ value: unknown; children?: ReactNode }>>;
    useValueHook: CodeRef<() => unknown>;
  }
>;
export type TabExt = Extension<
  'console.tab/horizontalNav',
  {
    model: ModelMatcher;
    page: { name: string; href: string };
    component: CodeRef<FC<{ obj?: K8sResourceCommon }>>;
  }
>;
export type DetailsItemExt = Extension<
  'console.resource/details-item',
  {
    model: ModelMatcher;
    id: string;
    column: 'left' | 'right';
    title: string;
    path?: string;
    component?: CodeRef<FC<{ obj: K8sResourceCommon; model: K8sModel }>>;
    sortWeight?: number;
  }
>;
export type GlobalConfigExt = Extension<
  'console.global-config',
  { id: string; name: string; model: ModelMatcher; namespace?: string }
>;
export type CardExt = Extension<
  'console.dashboards/card',
  { tab: string; position: 'LEFT' | 'RIGHT' | 'MAIN'; component: CodeRef<FC>; span?: number }
>;
export type DashTabExt = Extension<
  'console.dashboards/tab',
  { id: string; title: string; navSection: string }
>;
export type YamlTemplateExt = Extension<
  'console.yaml-template',
  { model: ModelMatcher; name: string; template: CodeRef<string> }
>;
export type ConfigGroupExt = Extension<
  'console.cluster-configuration/group',
  { id: string; label: string; insertBefore?: string; insertAfter?: string }
>;
export type ConfigItemExt = Extension<
  'console.cluster-configuration/item',
  {
    id: string;
    groupId: string;
    label: string;
    description: string;
    field: { type: string; component?: CodeRef<FC<{ readonly: boolean }>> };
    insertBefore?: string;
    insertAfter?: string;
    readAccessReview?: AccessReviewResourceAttributes[];
    writeAccessReview?: AccessReviewResourceAttributes[];
  }
>;
export type InventoryItemExt = Extension<
  'console.project-overview/inventory-item',
  { component: CodeRef<FC<{ projectName: string }>> }
>;

export const isRoute = (e: Extension): e is RouteExt => e.type === 'console.page/route';
export const isHref = (e: Extension): e is HrefExt => e.type === 'console.navigation/href';
export const isSection = (e: Extension): e is SectionExt => e.type === 'console.navigation/section';
export const isContextProvider = (e: Extension): e is ContextProviderExt =>
  e.type === 'console.context-provider';
export const isTab = (e: Extension): e is TabExt => e.type === 'console.tab/horizontalNav';
export const isDetailsItem = (e: Extension): e is DetailsItemExt =>
  e.type === 'console.resource/details-item';
export const isGlobalConfig = (e: Extension): e is GlobalConfigExt =>
  e.type === 'console.global-config';
export const isCard = (e: Extension): e is CardExt => e.type === 'console.dashboards/card';
export const isDashTab = (e: Extension): e is DashTabExt => e.type === 'console.dashboards/tab';
export const isYamlTemplate = (e: Extension): e is YamlTemplateExt =>
  e.type === 'console.yaml-template';
export const isConfigGroup = (e: Extension): e is ConfigGroupExt =>
  e.type === 'console.cluster-configuration/group';
export const isConfigItem = (e: Extension): e is ConfigItemExt =>
  e.type === 'console.cluster-configuration/item';
export const isInventoryItem = (e: Extension): e is InventoryItemExt =>
  e.type === 'console.project-overview/inventory-item';
