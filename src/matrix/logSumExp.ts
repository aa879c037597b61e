/**
 * log(Σ exp(vᵢ)) over `length` consecutive values, computed stably by
 * factoring out the maximum. Returns -Infinity when every value is -Infinity
 * (an empty sum), never NaN for non-NaN input.
 *
 * Complexity: O(length), no allocation.
 *
 * @param values - The array.
 * @param offset - Index of the first value.
 * @param length - Number of values.
 * @returns The log of the sum of exponentials.
 * @example
 * ```ts
 * logSumExp(new Float64Array([Math.log(1), Math.log(3)]), 0, 2); // Math.log(4)
 * ```
 */
export function logSumExp(values: Float64Array, offset: number, length: number): number {
  let max = -Infinity;
  for (let j = 0; j < length; j++) {
    const v = values[offset + j];
    if (v > max) max = v;
  }
  if (max === -Infinity || max === Infinity) return max;
  let sum = 0;
  for (let j = 0; j < length; j++) sum += Math.exp(values[offset + j] - max);
  return max + Math.log(sum);
}
