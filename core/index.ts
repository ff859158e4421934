export * from './types';
export * from './constants';
export * from './policy';
export * from './decision';
export * from './plan';
export * from './verdict';
export * from './validate';
