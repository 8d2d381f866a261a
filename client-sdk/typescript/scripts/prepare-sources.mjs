// Copies the client that openapi-generator (typescript-fetch) wrote into ../target/generated-sources/typescript
// to src/generated/, and keeps this package's version equal to the Maven project version, which the generator
// records in its own package.json (npmVersion = ${project.version}, see client-sdk/pom.xml).
//
// Run by `npm run build`; the Maven build runs that right after generating the sources.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const generatedDir = resolve(process.env.TODO_TS_GENERATED_DIR ?? join(packageDir, '..', 'target', 'generated-sources', 'typescript'));
const generatedSrc = join(generatedDir, 'src');

if (!existsSync(join(generatedSrc, 'index.ts'))) {
    console.error(`No generated client in ${relative(process.cwd(), generatedSrc) || generatedSrc}.\n`
        + 'Generate it first, from the repository root: ./mvnw -pl client-sdk generate-sources');
    process.exit(1);
}

const mavenVersion = JSON.parse(readFileSync(join(generatedDir, 'package.json'), 'utf8')).version;
syncVersion(join(packageDir, 'package.json'), (json) => json.version, (json) => { json.version = mavenVersion; });
syncVersion(join(packageDir, 'package-lock.json'), (json) => json.version, (json) => {
    json.version = mavenVersion;
    if (json.packages?.['']) json.packages[''].version = mavenVersion;
});

const target = join(packageDir, 'src', 'generated');
rmSync(target, { recursive: true, force: true });
rmSync(join(packageDir, 'dist'), { recursive: true, force: true });
cpSync(generatedSrc, target, { recursive: true });
console.log(`Copied the generated client (version ${mavenVersion}) to src/generated`);

function syncVersion(file, read, write) {
    if (!existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    const json = JSON.parse(text);
    if (read(json) === mavenVersion) return;
    const before = read(json);
    write(json);
    writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
    console.log(`${relative(packageDir, file)}: version ${before} -> ${mavenVersion} (the Maven project version); commit this change`);
}
