import { define, type FunctionSpec } from './function-spec';
import { stamp } from './date.functions';

export const RECORD_FUNCTIONS: FunctionSpec[] = [
  define({
    name: 'CREATED_TIME',
    category: 'Record',
    syntax: 'CREATED_TIME()',
    description: 'When the record was created.',
    example: 'CREATED_TIME() => 2015-11-11T22:18:17.000Z',
    min: 0,
    max: 0,
    returns: 'date',
    call: (_a, ctx) => stamp(ctx.record.created_at),
  }),
  define({
    name: 'RECORD_ID',
    category: 'Record',
    syntax: 'RECORD_ID()',
    description: "The record's id.",
    example: 'RECORD_ID() => "recUmXEUgZEvQ6UBa"',
    min: 0,
    max: 0,
    returns: 'text',
    call: (_a, ctx) => ctx.record.id,
  }),
];
