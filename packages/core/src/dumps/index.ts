export { detectDumpFormat, type DumpFormat } from './detect.js';
