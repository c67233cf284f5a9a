/** The write rule, as the failure messages of the last-writer-wins cases name it. */
export const LAST_WRITER_WINS_RULE =
  'last writer wins per feature: the newer event time wins; at equal event times the greater encoded bytes win';

/** The tie rule alone. */
export const TIE_RULE = 'tie rule: at equal event times the greater encoded bytes win (compareVersions)';
