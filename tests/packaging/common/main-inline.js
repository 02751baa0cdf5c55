// A minimal app that imports the entry with the wasm inlined, by name.
import * as sdk from 'schacc-sdk/inline';
import { check, report, world } from './check.js';

check(sdk, world()).then(report);
