/**
 * The error hierarchy of the package. Every error thrown on purpose is a
 * {@link GmmError}; its subclasses say what went wrong, and their messages name
 * the parameter, the value received and what was expected.
 *
 * @module
 */

/**
 * Base class of every error this package throws on purpose.
 *
 * @example
 * ```ts
 * try { model.predict(X); } catch (e) { if (e instanceof GmmError) console.error(e.message); }
 * ```
 */
export class GmmError extends Error {
  /**
   * @param message - What went wrong and, where it helps, what to do.
   * @param options - `cause`: the underlying error, if any.
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * An option or argument has a value outside what is accepted: wrong type,
 * out of range, unknown name, wrong shape.
 *
 * @example
 * ```ts
 * new GaussianMixture({ covarianceType: 'lol' as never });
 * // InvalidParameterError: covarianceType must be one of "full", "tied", "diag", "spherical"; got "lol"
 * ```
 */
export class InvalidParameterError extends GmmError {
  /** Name of the offending parameter, e.g. `"nComponents"` or `"meansInit[2]"`. */
  readonly parameter: string;
  /** The value received. */
  readonly value: unknown;

  /**
   * @param parameter - Name of the parameter.
   * @param value - The value received.
   * @param expected - What was expected, as a phrase: `"a positive integer"`.
   * @param hint - Optional advice appended to the message.
   */
  constructor(parameter: string, value: unknown, expected: string, hint?: string) {
    super(`${parameter} must be ${expected}; got ${describeValue(value)}${hint ? `. ${hint}` : ''}`);
    this.parameter = parameter;
    this.value = value;
  }

  /**
   * An error with a message composed by the caller (for problems deep inside
   * a nested value, where "must be …; got …" does not fit).
   *
   * @param parameter - Name of the parameter.
   * @param value - The value received.
   * @param message - The full message.
   * @returns The error.
   */
  static withMessage(parameter: string, value: unknown, message: string): InvalidParameterError {
    const error = new InvalidParameterError(parameter, value, '');
    error.message = message;
    return error;
  }
}

/**
 * Data passed to a method is unusable: not a 2-D array, ragged rows, a
 * non-finite value, too few rows.
 *
 * @example
 * ```ts
 * new GaussianMixture().fit([[1, 2], [3, NaN]]);
 * // InvalidDataError: X has a value that is not a finite number at row 1, column 1 (0-based): NaN
 * ```
 */
export class InvalidDataError extends GmmError {
  /** Name of the argument, usually `"X"`. */
  readonly parameter: string;
  /** 0-based row of the offending value, when one value is to blame. */
  readonly row: number | undefined;
  /** 0-based column of the offending value, when one value is to blame. */
  readonly column: number | undefined;

  /**
   * @param parameter - Name of the data argument (`"X"`).
   * @param message - The full message.
   * @param where - The 0-based row and column of the offending value, if any.
   */
  constructor(parameter: string, message: string, where: { row?: number; column?: number } = {}) {
    super(message);
    this.parameter = parameter;
    this.row = where.row;
    this.column = where.column;
  }
}

/**
 * The number of columns of the data differs from the number of features the
 * model was fitted on (or from the shape of an initial value).
 *
 * @example
 * ```ts
 * model.predict([[1, 2, 3]]); // DimensionMismatchError: X has 3 columns but the model has 2 features
 * ```
 */
export class DimensionMismatchError extends GmmError {
  /** Number of features expected. */
  readonly expected: number;
  /** Number of features received. */
  readonly actual: number;

  /**
   * @param parameter - Name of the data argument.
   * @param expected - Features the model (or `source`) has.
   * @param actual - Columns the data has.
   * @param source - What fixes the expected width, default `"the model"`.
   */
  constructor(parameter: string, expected: number, actual: number, source = 'the model') {
    super(
      `${parameter} has ${actual} column${actual === 1 ? '' : 's'} but ${source} has ${expected} feature${expected === 1 ? '' : 's'}`,
    );
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * A component's covariance cannot be factorized (it is not positive definite
 * in floating point): the component collapsed onto a point, a line or
 * duplicate rows.
 *
 * @example
 * ```ts
 * new GaussianMixture({ nComponents: 2, regCovar: 0 }).fit([[1, 1], [1, 1], [4, 2], [4, 2]]);
 * // IllConditionedCovarianceError: the covariance of component 0 is not positive definite in the
 * // initialization: … Increase regCovar (now 0), use fewer components, or scale the data.
 * ```
 */
export class IllConditionedCovarianceError extends GmmError {
  /** 0-based index of the component whose covariance failed. */
  readonly component: number;

  /**
   * @param component - 0-based component index (for a tied covariance, `-1`: the shared one).
   * @param regCovar - The regularization in effect, quoted in the advice.
   * @param context - Where it happened, e.g. `"at EM iteration 7"`.
   */
  constructor(component: number, regCovar: number, context: string) {
    const which = component < 0 ? 'the shared (tied) covariance' : `the covariance of component ${component}`;
    super(
      `${which} is not positive definite ${context}: the component collapsed onto too few distinct points ` +
        `(singleton, duplicate or collinear rows). Increase regCovar (now ${regCovar}), use fewer components, ` +
        `or scale the data.`,
    );
    this.component = component;
  }
}

/**
 * A computation overflowed or underflowed to a non-finite value for finite
 * input (data of extreme scale, or a point astronomically far from every
 * component). Raised instead of returning NaN.
 *
 * @example
 * ```ts
 * model.scoreSamples([[1e200, 1e200]]);
 * // NumericalError: the log-density of row 0 is -Infinity: the row is too far from every component …
 * ```
 */
export class NumericalError extends GmmError {}

/**
 * A serialized model (see `GaussianMixtureModel.fromJSON`) is malformed.
 *
 * @example
 * ```ts
 * GaussianMixtureModel.fromJSON({ format: 'something else' });
 * // ModelFormatError: invalid model: format must be "gmm.gaussian-mixture" (this is not a gmm model file); …
 * ```
 */
export class ModelFormatError extends GmmError {
  /** The offending field, e.g. `"means[1][0]"`. */
  readonly field: string;

  /**
   * @param field - Path of the field within the model object.
   * @param problem - What is wrong with it.
   */
  constructor(field: string, problem: string) {
    super(`invalid model: ${field} ${problem}`);
    this.field = field;
  }
}

/**
 * Short, readable rendering of a value for an error message: strings quoted,
 * arrays summarized, `NaN` and infinities spelled out.
 *
 * @param value - Any value.
 * @returns A one-line description, at most about 60 characters.
 * @example
 * ```ts
 * describeValue('lol'); // '"lol"'
 * describeValue([1, 2, 3]); // 'an array of length 3'
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  if (typeof value === 'function') return 'a function';
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}
