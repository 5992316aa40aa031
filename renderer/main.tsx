import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { signInFromLocation } from './api';
import { App } from './App';
import './styles.css';

signInFromLocation();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
