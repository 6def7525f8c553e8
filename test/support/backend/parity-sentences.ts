/**
 * @module
 * Varied sentences for text-encoder parity tests: plain English, accents and other Latin scripts, CJK, emoji,
 * punctuation runs, numbers, words outside the vocabulary, and long inputs that are truncated.
 */

const BASE = [
  'The quick brown fox jumps over the lazy dog.',
  'A cat sat on the mat.',
  'Café, naïve and résumé are spelled with accents.',
  'CAFÉ NAÏVE RÉSUMÉ IN CAPITALS',
  'Straße und Grüße aus München!',
  '¿Dónde está la biblioteca? ¡Aquí!',
  'Ça va très bien, merci.',
  'Zażółć gęślą jaźń.',
  'Ελληνικά γράμματα και λέξεις.',
  'Привет, как дела?',
  '中文句子的例子。',
  '我是中国人，你好！',
  '日本語の文章です。',
  '한국어 문장입니다.',
  'Mixed English and 中文 in one sentence.',
  'Emoji 😀 in the middle.',
  '🎉🎉🎉',
  'Flags 🇫🇷🇯🇵 and families 👨‍👩‍👧.',
  'Numbers 1234567890 and 3.14159.',
  'Email me at someone@example.com or visit https://example.com/path?x=1.',
  '!!!???...,,,;;;',
  'Tabs\tand\nnewlines\r\nin text.',
  'supercalifragilisticexpialidocious',
  'antidisestablishmentarianism is a long word',
  'I',
  'a',
  'Hello',
  'hello world',
  'HELLO WORLD',
  'help',
  'The music model turns audio into an embedding.',
  'Image and text fusion at the edge.',
  "It's a dog's life, isn't it?",
  '(parentheses) [brackets] {braces} <angles>',
  'Zero-width joiner\u200Bhere and non-breaking\u00A0space.',
  'Combining e\u0301 versus precomposed é.',
  'ﬁ ligature and ｆｕｌｌｗｉｄｔｈ letters.',
  'Arabic العربية and Hebrew עברית.',
  'हिन्दी वाक्य।',
  'ภาษาไทย',
  'one two three four five six seven eight nine ten',
  'print("hello") # code',
  '$100 & 50% off — today only!',
  'Dr. Smith lives on 5th Ave.',
  'water water water water water',
  'new old big small high low',
];

/** Long inputs: far over any small `max_tokens`, so truncation is exercised. */
const LONG = [
  Array.from({ length: 80 }, (_, i) => `word${i}`).join(' '),
  'the '.repeat(200).trim(),
  'Café '.repeat(60) + '中文'.repeat(40),
  '😀 '.repeat(100).trim(),
  Array.from({ length: 40 }, () => 'The quick brown fox jumps over the lazy dog.').join(' '),
  'a'.repeat(300),
];

export const paritySentences: readonly string[] = [...BASE, ...LONG];
