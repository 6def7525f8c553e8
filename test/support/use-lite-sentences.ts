/**
 * @module
 * Varied texts for Universal Sentence Encoder lite's parity tests (tokenizer and converted graph against the
 * `@energetic-ai/embeddings` reference): plain English, accents and other scripts, CJK, emoji, punctuation runs,
 * digits, compatibility characters that NFKC rewrites, pieces with odd scores (`:` and friends), whitespace-only
 * texts, and long texts around the model's 128-token limit.
 */

const PLAIN = [
  'The quick brown fox jumps over the lazy dog.',
  'A cat sat on the mat.',
  'the kitten purrs',
  'my cat sleeps on the sofa',
  'The music model turns audio into an embedding.',
  'Image and text fusion at the edge.',
  "It's a dog's life, isn't it?",
  'Dr. Smith lives on 5th Ave.',
  'one two three four five six seven eight nine ten',
  'water water water water water',
  'new old big small high low',
  'iPhone vs. Android: which one should I buy?',
  'I',
  'a',
  'Hello',
  'hello world',
  'HELLO WORLD',
  'help',
  'supercalifragilisticexpialidocious',
  'antidisestablishmentarianism is a long word',
];

const SCRIPTS = [
  'Café, naïve and résumé are spelled with accents.',
  'CAFÉ NAÏVE RÉSUMÉ IN CAPITALS',
  'Combining e\u0301 versus precomposed é.',
  'Straße und Grüße aus München!',
  '¿Dónde está la biblioteca? ¡Aquí!',
  'Ça va très bien, merci.',
  'Zażółć gęślą jaźń.',
  'Tiếng Việt có dấu.',
  'İstanbul ve ığdır.',
  'Ελληνικά γράμματα και λέξεις.',
  'Привет, как дела?',
  'Arabic العربية and Hebrew עברית.',
  'हिन्दी वाक्य।',
  'ภาษาไทย',
  '中文句子的例子。',
  '我是中国人，你好！',
  '日本語の文章です。',
  '한국어 문장입니다.',
  'Mixed English and 中文 in one sentence.',
];

const SYMBOLS = [
  'Emoji 😀 in the middle.',
  '🎉🎉🎉',
  'Flags 🇫🇷🇯🇵 and families 👨‍👩‍👧.',
  'Thumbs 👍🏽 and keycaps 1️⃣.',
  'Numbers 1234567890 and 3.14159.',
  'On 2024-12-01 at 12:00:00 it cost €5, £10 or ¥100.',
  'Meet at 10:30 :) or else :( — see http://example.com/a:b',
  'Email me at someone@example.com or visit https://example.com/path?x=1.',
  '#MachineLearning with @someone',
  '$100 & 50% off — today only!',
  '!!!???...,,,;;;',
  '(parentheses) [brackets] {braces} <angles>',
  '“Smart quotes”, ‘single ones’ and «guillemets»…',
  'print("hello") # code',
  'x² + y³ = z⁴ and ½ + ¼',
  'ﬁ ligature and ｆｕｌｌｗｉｄｔｈ letters, Ⅻ and ①②③.',
  '∑∫√∞ ≠ ≤ ≥',
  'Zero-width space\u200Bhere and non-breaking\u00A0space.',
  'Tabs\tand\nnewlines\r\nin text.',
];

const EMPTY_ISH = [' ', '   ', '\t', '\n', '.', '😀', '\u200B', '\u0301', ':'];

function words(count: number, word = 'the'): string {
  return Array.from({ length: count }, () => word).join(' ');
}

/** Around the 128-token limit ('the' repeated is one piece per word) and far past it. */
const LONG = [
  words(127),
  words(128),
  words(200),
  Array.from({ length: 80 }, (_, i) => `word${i}`).join(' '),
  'Café '.repeat(60) + '中文'.repeat(40),
  '😀 '.repeat(100).trim(),
  Array.from({ length: 40 }, () => 'The quick brown fox jumps over the lazy dog.').join(' '),
  'a'.repeat(300),
];

export const useLiteSentences: readonly string[] = [...PLAIN, ...SCRIPTS, ...SYMBOLS, ...EMPTY_ISH, ...LONG];

/** Texts of exactly 127, 128 and 200 tokens of the same word, for the truncation checks. */
export const truncationTexts = { under: words(127), at: words(128), over: words(200) } as const;
