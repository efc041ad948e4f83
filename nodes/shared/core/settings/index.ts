/** The shared sync settings record: layout, shipped defaults, validation, parameter view. */
export * from './record';
export * from './validate';
export * from './params';
export * from './mapperConfig';
