import { mount } from 'svelte';
import App from './App.svelte';
import './theme.css';
import { resumeAutopilot } from './lib/autopilot.svelte';

mount(App, { target: document.getElementById('app')! });
void resumeAutopilot();
