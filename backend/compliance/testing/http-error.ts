import { HttpError } from '../../http';

/** The HttpError `f` throws; fails the test when it throws nothing or something else. */
export function httpErrorOf(f: () => unknown): HttpError {
  try {
    f();
  } catch (e) {
    if (e instanceof HttpError) return e;
    throw e;
  }
  throw new Error('expected an HttpError');
}
