// First: zod decides whether to compile its parsers when the first schema is built, at import.
import './app/zod-jitless';
// The base styles first, so each feature's own stylesheet (imported by its components) comes after them.
import './styles/theme.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/surfaces.css';
import './styles/data.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { WorkflowProvider } from './app/workflow';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <WorkflowProvider>
      <App />
    </WorkflowProvider>
  </StrictMode>,
);
