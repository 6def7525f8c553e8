/**
 * @module
 * Triton's `config.pbtxt` (protobuf text format), the subset this backend reads: scalars, enums, nested
 * messages, repeated fields in either form (`dims: [1, 2]` or the field written twice), `#` comments, and the
 * `parameters` map. The result is the JSON form of the same config (what `config.json` holds), so one schema
 * checks both.
 */

type Value = string | number | boolean | Message | Value[];
interface Message {
  [field: string]: Value[];
}

/** Fields that are repeated in Triton's ModelConfig, so they stay arrays even when written once. */
const REPEATED = new Set([
  'input',
  'output',
  'dims',
  'preferred_batch_size',
  'instance_group',
  'gpus',
  'model_warmup',
]);

const TOKEN = /\s*(?:#[^\n]*\n?\s*)*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[{}[\]:,;<>]|[^\s{}[\]:,;<>"'#]+)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let offset = 0;
  for (;;) {
    TOKEN.lastIndex = offset;
    const match = TOKEN.exec(text);
    if (!match?.[1]) break;
    tokens.push(match[1]);
    offset = TOKEN.lastIndex;
  }
  if (
    text
      .slice(offset)
      .replace(/#[^\n]*/g, '')
      .trim() !== ''
  ) {
    throw new Error(`config.pbtxt: cannot read past offset ${offset}`);
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: string[]) {}

  private peek(): string | undefined {
    return this.tokens[this.at];
  }

  private take(expected?: string): string {
    const token = this.tokens[this.at++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`config.pbtxt: expected ${expected ?? 'a value'}, got ${token ?? 'the end'}`);
    }
    return token;
  }

  message(end?: string): Message {
    const message: Message = Object.create(null) as Message;
    while (this.peek() !== end) {
      const name = this.take();
      if (!/^[A-Za-z_]\w*$/.test(name)) throw new Error(`config.pbtxt: "${name}" is not a field name`);
      if (this.peek() === ':') this.take(':');
      const value = this.value();
      (message[name] ??= []).push(...(Array.isArray(value) ? value : [value]));
      if (this.peek() === ',' || this.peek() === ';') this.take();
    }
    if (end !== undefined) this.take(end);
    return message;
  }

  private value(): Value {
    const token = this.take();
    if (token === '{' || token === '<') return this.message(token === '{' ? '}' : '>');
    if (token === '[') {
      const list: Value[] = [];
      while (this.peek() !== ']') {
        list.push(this.value());
        if (this.peek() === ',') this.take(',');
      }
      this.take(']');
      return list;
    }
    if (token.startsWith('"') || token.startsWith("'"))
      return JSON.parse(`"${token.slice(1, -1).replace(/\\'/g, "'")}"`) as string;
    if (token === 'true' || token === 'false') return token === 'true';
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(token)) return Number(token);
    return token;
  }
}

/** A parsed message as JSON: singular fields take their last value, `parameters` becomes a map. */
function toJson(message: Message): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(message)) {
    const converted = values.map((value) =>
      typeof value === 'object' && !Array.isArray(value) ? toJson(value) : value,
    );
    if (name === 'parameters') {
      json[name] = Object.fromEntries(
        converted.map((entry) => {
          const { key, value } = entry as { key?: unknown; value?: unknown };
          return [String(key), value];
        }),
      );
    } else {
      json[name] = REPEATED.has(name) ? converted : converted.at(-1);
    }
  }
  return json;
}

/** Parses `config.pbtxt` text into the JSON form of the config (unchecked: the config schema does that). */
export function parsePbtxt(text: string): Record<string, unknown> {
  return toJson(new Parser(tokenize(text)).message());
}
