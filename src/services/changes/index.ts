export * from './change-feed';
export * from './feed-cursor';
export * from './feed-reader';
export * from './change-listener';
