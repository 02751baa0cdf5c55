// A minimal app that takes the SPiD 2.x drop-in through a bundler.
import 'schacc-sdk/global.js';
import { checkGlobal } from './check-global.js';

checkGlobal();
