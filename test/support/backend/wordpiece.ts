/**
 * @module
 * A real WordPiece `tokenizer.json` (the Hugging Face `tokenizers` format of `bert-base-uncased`: BERT normaliser
 * with lower-casing and accent stripping, BERT pre-tokeniser, `[CLS] $A [SEP]` template, `##` continuation pieces)
 * over a small vocabulary the project writes itself, since no pretrained tokenizer can be downloaded here. Words
 * outside the vocabulary fall back to letters and `##` letters, as in any BERT vocabulary; CJK characters are split
 * one per token by the normaliser, so a few common ones are in it too.
 */

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

const WORDS = `the of and to a in is it you that he was for on are with as i his they be at one have this from or
had by not word but what some we can out other were all there when up use your how said an each she which do their
time if will way about many then them write would like so these her long make thing see him two has look more day
could go come did number sound no most people my over know water than call first who may down side been now find
any new work part take get place made live where after back little only round man year came show every good me give
our under name very through just form sentence great think say help low line differ turn cause much mean before move
right boy old too same tell does set three want air well also play small end put home read hand port large spell add
even land here must big high such follow act why ask men change went light kind off need house picture try us again
animal point mother world near build self earth father cat dog car music model image audio text embedding fusion
café naïve résumé hello bonjour hola danke straße quick brown fox jumps lazy`;

const PIECES = ['##s', '##ing', '##ed', '##er', '##ly', '##est', '##tion', '##ment', '##ness', '##able'];
const CJK =
  `的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长
知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市
眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让
认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持
音送始医`.replace(/\n/g, '');

/** The vocabulary: special tokens, single characters and their `##` forms, common words and suffixes, CJK. */
export function wordpieceVocabulary(): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const punctuation = `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~`;
  const words = new Set(WORDS.split(/\s+/).filter(Boolean));
  // The normaliser strips accents before lookup, so accented spellings would never be reached.
  const plain = [...words].map((word) => word.normalize('NFD').replace(/\p{Mn}/gu, ''));
  return [
    ...new Set([
      ...SPECIAL_TOKENS,
      ...letters,
      ...punctuation,
      ...[...letters].map((char) => `##${char}`),
      ...plain,
      ...PIECES,
      ...CJK,
    ]),
  ];
}

/** `tokenizer.json` for `vocabulary` (the first entries must be {@link SPECIAL_TOKENS}). */
export function wordpieceTokenizerJson(vocabulary: readonly string[] = wordpieceVocabulary()): object {
  const vocab = Object.fromEntries(vocabulary.map((token, id) => [token, id]));
  const special = (content: string) => ({
    id: vocab[content],
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(
        ['[CLS]', '[SEP]'].map((token) => [token, { id: token, ids: [vocab[token]], tokens: [token] }]),
      ),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

/** `tokenizer_config.json` as `transformers` writes it for BERT; `model_max_length` drives truncation. */
export function bertTokenizerConfig(modelMaxLength: number): object {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    tokenize_chinese_chars: true,
    strip_accents: null,
    model_max_length: modelMaxLength,
    clean_up_tokenization_spaces: true,
    unk_token: '[UNK]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    cls_token: '[CLS]',
    mask_token: '[MASK]',
  };
}
