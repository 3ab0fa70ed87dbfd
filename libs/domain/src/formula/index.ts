export {
  FDate,
  FError,
  FORMULA_LIMITS,
  FormulaSyntaxError,
  RESULT_TYPES,
  tableRecomputeFuel,
} from './types';
export type { BinaryOp, FormulaType, FValue, Node as FormulaNodeAst } from './types';
export { tokenize as tokenizeFormula } from './tokenizer';
export type { Token as FormulaToken } from './tokenizer';
export { parseFormula } from './parser';
export { fieldRefText, printFormula, stripSpans } from './printer';
export { checkFormula, fieldFormulaType, resolveFieldRef, storedResultType } from './checker';
export type { CheckedFormula, FormulaScope, LinkNames } from './checker';
export {
  cellToFormulaValue,
  isStoredError,
  storedToFormulaValue,
  toStoredValue,
} from './stored-values';
export type { FormulaRecord, StoredFormulaValue } from './stored-values';
export { compileFormula, tryCompileFormula } from './formula';
export type { CompiledFormula, FormulaProblem } from './formula';
export * from './formula-field';
export * from './dependency-graph';
export * from './record-formulas';
export * from './preview';
export { FORMULA_FUNCTIONS, FORMULA_FUNCTION_DOCS } from './functions';
export type { FunctionSpec, Category as FormulaFunctionCategory } from './functions/function-spec';
export { formatDate as formatFormulaDate } from './dates/date-format';
export { parseDateText as parseFormulaDate } from './dates/date-parse';
export { SafeRegex } from './regex/safe-regex';
export * from './recompute-cost';
export * from './link-field';
export * from './link-delta';
export * from './link-names';
export * from './link-field-options';
export * from './field-cycles';
export * from './lists-ref';
