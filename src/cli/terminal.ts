// Whether one of the CLI's descriptors is a terminal, asked of the engine (isatty(3)), which
// every command that launches has loaded: node:tty would bring node:net with it, a few ms of
// every start (issue 17).
import { engine } from '../main/lab/engine';

export const isTerminal = (fd: number): boolean => engine().hostFd(fd).terminal;
