// The mock's browser-safe public surface: what decides every answer, with no Node API, for the MSW handlers
// (msw/) to run in a page or a test process. mock/index.ts is the Node side (the server, its CLI).
export {
  answerRequest,
  type BodyReading,
  createMockContext,
  type MockAnswer,
  type MockContext,
  type MockRequest,
  SOURCE_HEADER,
} from './answer-request.ts';
