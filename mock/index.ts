// The mock for in-process use, e.g. in a Playwright global setup: start it on a port, read its URL, close it.
export { type MockOptions, type RunningMock, startMock } from './start-mock.ts';
