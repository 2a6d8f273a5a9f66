import { describe, expect, it } from 'vitest';
import { getPath, setPath } from '../../src/config/paths.ts';

const config = () => ({
  model: {
    regions: [
      { id: 'us', powerPrice: { meanUsdPerKwh: 0.048 } },
      { id: 'ru', powerPrice: { meanUsdPerKwh: 0.04 } },
    ],
    asics: [{ name: 'S21', jPerTh: 17.5 }],
    operators: { count: 2000 },
  },
});

describe('getPath', () => {
  it('getPath follows object keys', () => {
    expect(getPath(config(), ['model', 'operators', 'count'])).toBe(2000);
  });

  it('getPath addresses an array element by its id', () => {
    expect(getPath(config(), ['model', 'regions', 'ru', 'powerPrice', 'meanUsdPerKwh'])).toBe(0.04);
  });

  it('getPath addresses an array element by its name', () => {
    expect(getPath(config(), ['model', 'asics', 'S21', 'jPerTh'])).toBe(17.5);
  });

  it('getPath addresses an array element by its index (number or digit string)', () => {
    expect(getPath(config(), ['model', 'regions', 1, 'id'])).toBe('ru');
    expect(getPath(config(), ['model', 'regions', '0', 'id'])).toBe('us');
  });

  it('getPath names a missing field', () => {
    expect(() => getPath(config(), ['model', 'operators', 'cnt'])).toThrow('no field "model.operators.cnt"');
  });

  it('getPath names an index past the end of a list', () => {
    expect(() => getPath(config(), ['model', 'regions', 5])).toThrow('no element 5 at "model.regions.5" (the list has 2)');
  });
});

describe('setPath', () => {
  it('setPath sets a field addressed through a region id', () => {
    const c = config();
    setPath(c, 'model.regions.us.powerPrice.meanUsdPerKwh', 0.096);
    expect(c.model.regions[0].powerPrice.meanUsdPerKwh).toBe(0.096);
    expect(c.model.regions[1].powerPrice.meanUsdPerKwh).toBe(0.04);
  });

  it('setPath sets a field addressed through an index', () => {
    const c = config();
    setPath(c, 'model.regions.1.powerPrice.meanUsdPerKwh', 0.05);
    expect(c.model.regions[1].powerPrice.meanUsdPerKwh).toBe(0.05);
  });

  it('setPath refuses to create a field that does not exist', () => {
    const c = config();
    expect(() => setPath(c, 'model.operators.cnt', 5)).toThrow('no field "model.operators.cnt" to override');
    expect('cnt' in c.model.operators).toBe(false);
  });

  it('setPath names an unknown element id', () => {
    expect(() => setPath(config(), 'model.regions.usa.pue', 1)).toThrow('no element with id or name "usa" at "model.regions.usa"');
  });
});
