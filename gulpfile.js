// Copies the icons into dist/, where the compiled nodes and credential reference them.
const { src, dest, task } = require('gulp');

task('build:icons', () => src('icons/*.{png,svg}').pipe(dest('dist/icons')));
