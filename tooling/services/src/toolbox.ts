import { findJava, type JavaInfo } from './java.ts';
import { which } from './prerequisites.ts';
import { CASSANDRA_JAVA_MAJOR } from './versions.ts';

/** Looks up the external programs services need; each answer is computed once per toolbox. */
export interface Toolbox {
  readonly env: NodeJS.ProcessEnv;
  which(command: string): string | undefined;
  /** A JDK 17 exactly (Cassandra 5.0 runs on nothing newer here). */
  java17(): Promise<JavaInfo | undefined>;
  /** The JDK for Kafka 3.9: 17 when there is one, else any 11 to 23. */
  javaForKafka(): Promise<JavaInfo | undefined>;
}

export function createToolbox(env: NodeJS.ProcessEnv = process.env): Toolbox {
  let java17: Promise<JavaInfo | undefined> | undefined;
  let kafkaJava: Promise<JavaInfo | undefined> | undefined;
  const toolbox: Toolbox = {
    env,
    which: (command) => which(command, env),
    java17() {
      java17 ??= findJava((major) => major === CASSANDRA_JAVA_MAJOR, env);
      return java17;
    },
    javaForKafka() {
      kafkaJava ??= toolbox
        .java17()
        .then((found) => found ?? findJava((major) => major >= 11 && major <= 23, env));
      return kafkaJava;
    },
  };
  return toolbox;
}
