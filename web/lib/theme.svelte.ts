/** Light and dark themes: the system's choice by default, a toggle that is remembered. */
const stored = localStorage.getItem('flywheel-theme');
const system = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';

export const theme = $state({ value: stored === 'dark' || stored === 'light' ? stored : system });

export function toggleTheme(): void {
  theme.value = theme.value === 'dark' ? 'light' : 'dark';
  localStorage.setItem('flywheel-theme', theme.value);
  document.documentElement.dataset.theme = theme.value;
}

document.documentElement.dataset.theme = theme.value;
