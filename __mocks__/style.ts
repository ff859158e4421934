// CSS imports have no behaviour to test; jest maps them here (jest.config.js moduleNameMapper).
export default {};
