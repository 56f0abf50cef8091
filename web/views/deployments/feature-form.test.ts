import { describe, expect, it } from 'vitest';
import { parseDelimited } from '../../../core/data/parse-delimited';
import { inferSchema, profileTable } from '../../../core/features';
import { controlOf, defaultValues, formInstance } from './feature-form';

const table = parseDelimited(
  'mass,len,island,note\n3000,40.5,Biscoe,a\n4000,41.25,Biscoe,b\n5000,50,Dream,c\n',
  'p.csv',
);
const schema = inferSchema(table).columns;
const baseline = profileTable(table);

describe('feature form', () => {
  it('prefills with the median or the most frequent category', () => {
    expect(defaultValues(schema, baseline)).toEqual({ mass: '4000', len: '41.25', island: 'Biscoe', note: 'a' });
    expect(defaultValues(schema, null)).toEqual({ mass: '', len: '', island: 'Biscoe', note: 'a' });
  });

  it('turns text into numbers where the signature says so, empty into null', () => {
    expect(formInstance(schema, { mass: ' 4200 ', len: '', island: 'Dream', note: 'x' })).toEqual({
      mass: 4200,
      len: null,
      island: 'Dream',
      note: 'x',
    });
    expect(() => formInstance(schema, { mass: 'heavy' })).toThrow('mass must be a number, got "heavy"');
  });

  it('takes the numbers and nulls an edited number field binds to', () => {
    expect(formInstance(schema, { mass: 5300, len: null, island: 'Dream', note: undefined })).toEqual({
      mass: 5300,
      len: null,
      island: 'Dream',
      note: null,
    });
    expect(formInstance(schema, { mass: 0, len: 41.5, island: 'Biscoe', note: 'b' })).toEqual({
      mass: 0,
      len: 41.5,
      island: 'Biscoe',
      note: 'b',
    });
    expect(() => formInstance(schema, { mass: Number.NaN })).toThrow('mass must be a finite number, got NaN');
  });

  it('picks a select for a categorical domain', () => {
    expect(schema.map(controlOf)).toEqual(['number', 'number', 'select', 'select']);
    expect(controlOf({ name: 't', type: 'text', nullable: true })).toBe('text');
  });
});
