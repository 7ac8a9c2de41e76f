import { expanded, indented, printLines, retouched } from '../../../src/plan/types/layout';

// Blocks nest their members as indented runs; the text is indented once, when printed.

describe('laid-out lines', () => {
  it('prints nested blocks two spaces deeper per level, empty lines keeping their indentation', () => {
    const inner = expanded('Row: ', [['a: number'], ['b: string | null']]);
    const outer = expanded('t: ', [inner, ['']], ',');
    expect(printLines(outer)).toBe(
      ['t: {', '  Row: {', '    a: number', '    b: string | null', '  }', '  ', '},'].join('\n'),
    );
  });

  it('indents a run by several levels at once', () => {
    expect(printLines(['x:', indented(['a', indented(['b'])], 2)])).toBe('x:\n    a\n      b');
  });

  it('changes the first and the last line of a block, both on a one-line block', () => {
    const block = expanded('', [['a: 1']]);
    expect(
      printLines(
        retouched(
          block,
          (l) => `Returns: ${l}`,
          (l) => `${l}[]`,
        ),
      ),
    ).toBe('Returns: {\n  a: 1\n}[]');
    expect(
      retouched(
        ['x'],
        (l) => `<${l}`,
        (l) => `${l}>`,
      ),
    ).toEqual(['<x>']);
  });

  it('refuses to retouch a block that does not open with a line of text', () => {
    expect(() => retouched([indented(['a'])], (l) => l)).toThrow(/internal/);
  });
});
